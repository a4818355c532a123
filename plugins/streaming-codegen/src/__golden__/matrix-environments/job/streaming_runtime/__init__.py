"""The fixed parts of every generated pipeline job.

Shipped unchanged into each pipeline repository (``job/streaming_runtime/``) by the
streaming platform's generator; the repository's ``job/main.py`` holds what its spec
decides (settings, schema, source, transformations, sink options) and calls these.
Nothing here contains text from a spec.
"""
