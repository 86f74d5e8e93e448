"""The lint rules, one module per concern; importing a module registers its rules."""
