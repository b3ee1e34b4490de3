"""graphbuild: budget disclosures to a knowledge graph of policy documents."""
__version__ = "0.1.0"
