"""``mofc lint``: rules over the resolved model (:mod:`.rules`), configured in
``[tool.mofc.lint]`` (:mod:`.settings`), suppressed by comments (:mod:`.suppress`), reported as
text, JSON or SARIF (:mod:`.output`); :mod:`.command` runs it."""
