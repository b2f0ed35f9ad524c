"""Code generation: targets render the model through view models and templates; the pipeline
formats, caches, checks and writes the files."""
