"""UI-free core: settings, errors, domain records, the collaborator factory and the CLI."""
