"""Small numeric recipes, each shown on the fixture blog."""
