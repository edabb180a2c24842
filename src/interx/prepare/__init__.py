"""Raw release -> processed release and model-ready features (`interx prepare`).

Modules: `motions` (raw SMPL-X -> `[T, 56, 6]`), `texts` (spaCy tokens),
`vocab` (GloVe vocabulary files), `features` (InterGen-style 262-d joint
representation and its inverse), `stats` (mean/std on train), `run` (the
resumable, parallel orchestration behind the CLI).
"""
