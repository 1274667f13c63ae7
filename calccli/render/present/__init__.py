"""Presenters: one function per result type turns that result into the :class:`~calccli.render.view.View` the
renderers draw.

The labels are spelled here, per format (a plain ASCII key for text, a decorated one for the table and LaTeX);
the results themselves know nothing of how they look.  A new result type gets its presenter with
``@presenter(TheResult)`` in the module of its family, imported below.

>>> import sympy as sp
>>> from calccli.results import Laplacian
>>> x, y = sp.symbols("x y")
>>> view = present(Laplacian(x**2 + y**2, (x, y), sp.Integer(4)))
>>> view.heading, view.blocks[0].rows[0].label.pretty
('Laplacian of f = x**2 + y**2', '∇²f')

Every result type has its presenter:

>>> import calccli.results as R
>>> kinds = {c for c in vars(R).values() if isinstance(c, type) and isinstance(getattr(c, "KIND", None), str)}
>>> sorted(c.__name__ for c in kinds | {R.Explained} if c not in presented())
[]
"""

from __future__ import annotations

from calccli.render.present import (  # noqa: F401 - registers
    chain,
    critical,
    differential,
    expression,
    homework,
    integration,
    matrix,
    optimize,
    taylor,
)
from calccli.render.present.registry import Presenter, present, presented, presenter

__all__ = ["Presenter", "present", "presented", "presenter"]
