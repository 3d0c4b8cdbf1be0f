"""The web portal: blueprints, view models and security headers around the `search` library."""
