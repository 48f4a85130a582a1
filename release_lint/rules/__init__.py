"""Rule modules, one per area. Every module here is imported by ``registry.all_rules()``;
each registers its rules with ``@rule(...)``. Adding a rule area is adding a module."""
