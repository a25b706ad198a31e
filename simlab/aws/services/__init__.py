"""Our moto-style services: each package defines ``register()``, found by ``registry.install``."""
