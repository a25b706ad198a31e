"""simlab: run Amazon SNS, SES and Pinpoint locally, compare them, and simulate them at scale.

Layers, top to bottom: ``simlab.widgets`` → ``simlab.aws`` → ``simlab.engage`` → ``simlab.sim``
→ ``simlab.facts``. Each imports only from the layers below it.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
