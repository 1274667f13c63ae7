"""The homework companion: the one equivalence checker, grading (``--check``) and worked steps (``--steps``).

:mod:`~calccli.homework.equivalence` decides whether two expressions are equal under a named
policy (with :mod:`~calccli.homework.sampling`'s points and evaluations);
:mod:`~calccli.homework.check` and :mod:`~calccli.homework.critical` turn that into verdicts;
:mod:`~calccli.homework.grade` and :mod:`~calccli.homework.explain` hold one registered grader
and explainer per result kind; :mod:`~calccli.homework.steps` and
:mod:`~calccli.homework.integral_steps` build the steps.
"""
