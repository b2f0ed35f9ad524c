"""The parse stage: MOF text and files to IR (:mod:`mofc.ir`), with spans and diagnostics."""
