"""Workspaces, storage (Chroma), embeddings, keyword index and hybrid retrieval."""
