"""Resolution: storefronts -> scored links over shared identifiers -> operators, with judgements.

``pivots`` finds who shares what, ``scoring`` turns shared pivots into explained link scores (weights in
``defaults.yaml``), ``clusters`` groups storefronts over accepted links (judgements override scores; a
"different" judgement splits a cluster along its weakest links) and keeps operator ids stable,
``judgements`` stores reviewers' verdicts as Sources, ``run`` writes the result, ``explain`` fetches the
documents behind a link.
"""
