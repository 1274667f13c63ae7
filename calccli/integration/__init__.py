"""Integration: antiderivatives and definite integrals, every exact answer verified before it is called so.

- :mod:`~calccli.integration.indefinite` and :mod:`~calccli.integration.definite`: the entry points,
  ``indefinite(f, x, budget)`` and ``definite(f, bounds, budget, system=None)``;
- :mod:`~calccli.integration.portfolio`: the race of methods (:func:`~calccli.integration.portfolio.find`);
- :mod:`~calccli.integration.methods`: the methods, one module per family, and their table;
- :mod:`~calccli.integration.verify`: the checks on antiderivatives and on definite values;
- :mod:`~calccli.integration.quadrature`: numeric integration, the independent check;
- :mod:`~calccli.integration.coordinates`: polar, cylindrical and spherical coordinates.
"""
