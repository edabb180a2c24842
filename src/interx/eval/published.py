"""Published numbers of the Inter-X benchmark, with the definition each was made under.

Shown beside ours by `interx bench`, never merged with them: they were measured
on the real release with the authors' evaluators, so they compare with ours
only when ours are made the same way (real data, the official evaluator, the
same embedding scale). Scores are fractions (0-1) where the papers give
percentages, to match interx's reports; BLEU stays in points as sacrebleu gives it.
"""

from __future__ import annotations

TEXT = "real Inter-X, official text-motion evaluator, embedding scale 1 (Guo et al. definitions)"
ACTION = "real Inter-X, the authors' action-recognition evaluator trained on real data"
SKELETON = "real Inter-X test split, skeleton input"

PUBLISHED: dict[str, dict] = {
    "text": {"definition": TEXT, "rows": {
        "Inter-X ground truth": {"r_precision_top1": 0.441, "r_precision_top2": 0.631, "r_precision_top3": 0.738,
                                 "fid": 0.0013, "matching_score": 3.563, "diversity": 9.000},
        "Guo et al. (official baseline)": {"r_precision_top1": 0.325, "r_precision_top2": 0.487,
                                           "r_precision_top3": 0.593, "fid": 3.342, "matching_score": 4.506,
                                           "diversity": 8.535, "multimodality": 0.982},
        "InterGen": {"r_precision_top1": 0.207, "fid": 5.207},
        "InterMask": {"r_precision_top1": 0.403, "r_precision_top3": 0.705, "fid": 0.399},
    }},
    "action": {"definition": ACTION, "rows": {
        "Inter-X ground truth": {"fid": 0.28, "accuracy": 0.99},
        "best published": {"fid": 4.2, "accuracy": 0.969},
    }},
    "reaction": {"definition": ACTION, "rows": {"best published": {"fid": 3.2, "accuracy": 0.947}}},
    "recognition": {"definition": SKELETON, "rows": {
        "ST-GCN": {"top1": 0.646, "top5": 0.902}, "2s-AGCN": {"top1": 0.752, "top5": 0.937},
        "CTR-GCN": {"top1": 0.822, "top5": 0.967}, "MS-G3D": {"top1": 0.833, "top5": 0.971},
        "best published": {"top1": 0.849, "top5": 0.971},
    }},
    "order": {"definition": SKELETON, "rows": {"ST-GCN": {"accuracy": 0.623},
                                               "best published": {"accuracy": 0.791}}},
    "personality": {"definition": SKELETON + ", R^2 per trait", "rows": {
        "MS-G3D": {"r2_openness": 0.284, "r2_conscientiousness": 0.379, "r2_extraversion": 0.462,
                   "r2_agreeableness": 0.291, "r2_neuroticism": 0.164},
    }},
    "captioning": {"definition": "real Inter-X test split, BLEU in points", "rows": {
        "TM2T": {"bleu4": 21.6}, "best published": {"bleu4": 35.4},
    }},
}
