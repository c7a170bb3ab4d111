"""Resolution: storefronts -> scored links over shared identifiers -> operators, with judgements.

``pivots`` finds who shares what (numpy over the store's arrays), ``vectors`` scores every candidate link at
once with sparse matrices (weights in ``defaults.yaml``), ``scoring`` explains one link and ``signals``
explains many at once, ``forest`` groups storefronts over accepted links with scipy's csgraph and
``clusters`` splits a group a "different" judgement cuts (along its weakest links) and keeps operator ids
stable, ``judgements`` stores reviewers' verdicts as Sources, ``run`` writes the result, ``incremental`` and
``scope`` recompute only what new Sources can change, ``views`` reads results back and fetches the documents
behind a link.
"""
