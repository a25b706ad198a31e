"""simlab: run Amazon SNS, SES and Pinpoint locally, compare them, and simulate them at scale.

Layers, top to bottom, each importing only from the layers below it:

* ``simlab.widgets`` (panels) and ``simlab.plotting`` (figures) present; ``simlab.compare``
  measures three ways to meet one need on the local AWS;
* ``simlab.aws`` is the local AWS (moto plus simlab's own services), ``simlab.room`` a workshop
  room on it; beside them, ``simlab.toolkit`` reads back through a boto3 client you pass in and
  knows nothing of the emulator;
* ``simlab.engage`` is the engagement engine (no boto3), ``simlab.sim`` the SimPy models;
* ``simlab.exam`` and ``simlab.advisor`` teach from the facts;
* ``simlab.primitives`` (rates, SMS parts, scales, times) and ``simlab.facts`` are the ground.

``PUBLIC`` names the modules a notebook imports from; each lists its names in ``__all__``.
"""

__version__ = "0.1.0"

#: The modules notebooks and workshop pages import from (``from simlab.<name> import ...``).
PUBLIC: tuple[str, ...] = (
    "advisor",
    "aws",
    "compare",
    "engage",
    "envcheck",
    "exam",
    "facts",
    "plotting",
    "primitives",
    "room",
    "sim",
    "toolkit",
    "widgets",
)

__all__ = ["PUBLIC", "__version__"]
