"""Resolution: storefronts -> scored links over shared identifiers -> operators, with judgements.

``pivots`` finds who shares what, ``vectors`` scores every candidate link at once with sparse matrices
(weights in ``defaults.yaml``) and ``scoring`` explains one link, ``forest`` groups storefronts over accepted
links with scipy's csgraph and ``clusters`` splits a group a "different" judgement cuts (along its weakest
links) and keeps operator ids stable,
``judgements`` stores reviewers' verdicts as Sources, ``run`` writes the result, ``explain`` fetches the
documents behind a link.
"""
