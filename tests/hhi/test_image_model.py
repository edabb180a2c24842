"""The image labeler: checkpoints, a local CLIP encoder from a folder, training tables."""

import numpy as np
import pytest
import torch
from PIL import Image

from interx.errors import FormatError
from interx.hhi.image_model import (
    ImageLabeler,
    ImageLabelerConfig,
    LabelVocabulary,
    LoadedImageLabeler,
    load_image,
    load_image_labeler,
    save_image_labeler,
)
from interx.hhi.train_images import read_table

LABELS = ["_ hugging _", "_ shaking hands with _", "_ kissing _ on the cheek"]


def images(count, size, seed=0):
    return np.random.default_rng(seed).normal(size=(count, 3, size, size)).astype(np.float32)


def test_save_load_gives_the_same_ranked_labels(tmp_path):
    torch.manual_seed(0)
    vocab = LabelVocabulary.from_labels(LABELS)
    model = ImageLabeler(ImageLabelerConfig(image_size=32, width=32, layers=1, heads=2), len(vocab)).eval()
    x = images(3, 32)
    before = LoadedImageLabeler(model, vocab).rank(x, 8)
    loaded = load_image_labeler(save_image_labeler(tmp_path / "lab", model, vocab))
    assert loaded.vocabulary.words == vocab.words
    assert loaded.rank(x, 8) == before
    assert all(len(r) <= 8 and len(set(r)) == len(r) for r in before)
    (tmp_path / "lab.json").write_text('{"kind": "interx-captioner", "version": 1}')
    with pytest.raises(FormatError, match="interx-image-labeler"):
        load_image_labeler(tmp_path / "lab")


def test_a_local_clip_folder_loads_frozen_and_stays_out_of_the_checkpoint(tmp_path):
    from transformers import CLIPVisionConfig, CLIPVisionModel

    folder = tmp_path / "tiny-clip"
    config = CLIPVisionConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                              image_size=32, patch_size=8)
    CLIPVisionModel(config).save_pretrained(folder)
    vocab = LabelVocabulary.from_labels(LABELS)
    torch.manual_seed(0)
    model = ImageLabeler(ImageLabelerConfig(encoder=f"clip:{folder}", image_size=32, width=16, layers=1, heads=2),
                         len(vocab)).eval()
    assert not any(p.requires_grad for p in model.encoder.clip.parameters())
    assert model.encoder(torch.as_tensor(images(2, 32))).shape == (2, 17, 16)  # 16 patches and the class token
    path = save_image_labeler(tmp_path / "lab", model, vocab)
    from safetensors.torch import load_file

    assert not any("encoder.clip." in key for key in load_file(str(path)))
    x = images(2, 32, 1)
    assert load_image_labeler(path).rank(x, 8) == LoadedImageLabeler(model, vocab).rank(x, 8)


def test_tables_take_labels_or_pseudo_label_captions(tmp_path):
    Image.new("RGB", (40, 30), (200, 10, 10)).save(tmp_path / "a.png")
    (tmp_path / "labels.csv").write_text("image,label\na.png,_ is hugging _\n")
    paths, labels, weights = read_table(tmp_path / "labels.csv")
    assert paths == [tmp_path / "a.png"] and labels == ["_ hugging _"] and weights.tolist() == [1.0]
    (tmp_path / "captions.csv").write_text('image,caption\na.png,"A man hugs a woman."\na.png,"A quiet street."\n')
    paths, labels, weights = read_table(tmp_path / "captions.csv")
    assert labels == ["_ hugging _"]  # the caption without an interaction is left out
    assert load_image(tmp_path / "a.png", 24).shape == (3, 24, 24)
    (tmp_path / "bad.csv").write_text("image,label\na.png,hugging\n")
    with pytest.raises(FormatError, match="line 2, label"):
        read_table(tmp_path / "bad.csv")
