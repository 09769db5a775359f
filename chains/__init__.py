"""Answering and drafting chains over the knowledge base and the shipped knowledge."""
