"""Integration: antiderivatives and definite integrals, every exact answer verified before it is called so.

- :mod:`~calccli.integration.indefinite` and :mod:`~calccli.integration.definite`: the entry points,
  ``indefinite(f, x, budget)`` and ``definite(f, bounds, budget, system=None)``;
- :mod:`~calccli.integration.portfolio`: the race of methods (:func:`~calccli.integration.portfolio.find`);
- :mod:`~calccli.integration.methods`: the methods, one module per family, and their table;
- :mod:`~calccli.integration.routes`: the exact candidates for a definite integral;
- :mod:`~calccli.integration.parameters`: sample values of both signs, values that depend on a sign;
- :mod:`~calccli.integration.pieces`: step functions split at their jumps;
- :mod:`~calccli.integration.recognise`: a numeric value matched to known constants (not a proof);
- :mod:`~calccli.integration.verify`: the checks on antiderivatives and on definite values;
- :mod:`~calccli.integration.quadrature`: numeric integration, the independent check;
- :mod:`~calccli.integration.coordinates`: polar, cylindrical and spherical coordinates.
"""
