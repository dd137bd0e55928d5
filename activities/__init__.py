"""Every side effect a workflow needs, as methods of ``XxxActivities`` classes built once by the worker."""
