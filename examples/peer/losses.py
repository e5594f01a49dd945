"""REFILLED's losses as Refilled's engine computes them (src/Refilled.Engine/Distillation), for PyTorch.

* semihard_triplets: every (a, p, n) with y_a = y_p, a != p, y_n != y_a and 0 < d(a,n) - d(a,p) <= margin, d the
  Euclidean distance of L2-normalised embeddings (pytorch_metric_learning's semi-hard TripletMarginMiner).
* relationship_loss (stage 1): with x = (d(a,n) - d(a,p)) / tau1 and P = sigmoid(x) per triplet,
  (scale / 2) * mean KL_Bernoulli(P_teacher || P_student); the halving is the released code's [2T, 1] batchmean.
  The per-triplet arithmetic runs in float64, as the engine's.
* local_classifier_loss (stage 2): CE(z, y) + lambda * (1/B) sum_i KL(softmax(<e_i, c_CB> / tau2) ||
  softmax(z_i[CB] / tau2)), e_i the raw teacher embedding, c the L2-normalised class centres, CB the classes in the batch.
"""
from __future__ import annotations

import torch
from torch.nn import functional as F


def distances(x: torch.Tensor) -> torch.Tensor:
    """[B, B] Euclidean distances from exact differences (no |x|^2 + |y|^2 - 2xy cancellation)."""
    return torch.cdist(x, x, compute_mode='donot_use_mm_for_euclid_dist')


@torch.no_grad()
def semihard_triplets(embedding: torch.Tensor, labels: torch.Tensor, margin: float = 0.2):
    d = distances(F.normalize(embedding.detach(), dim=1))
    same = labels[None, :] == labels[:, None]
    pairs = (same & ~torch.eye(len(labels), dtype=torch.bool)).nonzero()
    a, p = pairs[:, 0], pairs[:, 1]
    # [pairs, B] margins d(a, n) - d(a, p): only same-class pairs can start a triplet.
    m = d[a] - d[a, p][:, None]
    kept = ((m > 0) & (m <= margin) & ~same[a]).nonzero()
    return a[kept[:, 0]], p[kept[:, 0]], kept[:, 1]


def _triplet_logits(embedding, a, p, n, tau1):
    d = distances(embedding)
    return (d[a, n].double() - d[a, p].double()) / tau1


def relationship_loss(student_normalised, teacher_normalised, triplets, tau1: float = 4.0, scale: float = 1000.0):
    """Stage 1; an empty triplet set gives a zero tied to the student's graph (the engine's skipped batch)."""
    a, p, n = triplets
    if len(a) == 0:
        return student_normalised.sum() * 0.0
    s = _triplet_logits(student_normalised, a, p, n, tau1)
    with torch.no_grad():
        t = _triplet_logits(teacher_normalised, a, p, n, tau1)
        pt = torch.sigmoid(t)
    # log P = logsigmoid(x), log(1 - P) = logsigmoid(-x): no 1 - P is formed.
    kl = pt * (F.logsigmoid(t) - F.logsigmoid(s)) + (1 - pt) * (F.logsigmoid(-t) - F.logsigmoid(-s))
    return (kl.mean() * (scale / 2)).to(student_normalised.dtype)


def class_centres(embedding: torch.Tensor, labels: torch.Tensor, classes: int) -> torch.Tensor:
    """[classes, D] L2-normalised class sums of raw embeddings (a class with no sample gets zeros)."""
    sums = torch.zeros(classes, embedding.shape[1], dtype=embedding.dtype).index_add_(0, labels, embedding)
    return F.normalize(sums, dim=1)


def local_classifier_loss(student_logits, labels, teacher_raw, centres, tau2: float = 2.0, lam: float = 100.0):
    """Stage 2 with global centres [classes, Dt], indexed by the classes in the batch."""
    in_batch = torch.unique(labels)
    ce = F.cross_entropy(student_logits, labels)
    with torch.no_grad():
        teacher_log = F.log_softmax(teacher_raw @ centres[in_batch].t() / tau2, dim=1)
    student_log = F.log_softmax(student_logits[:, in_batch] / tau2, dim=1)
    kl = (teacher_log.exp() * (teacher_log - student_log)).sum() / student_logits.shape[0]
    return ce + lam * kl


@torch.no_grad()
def ncm_accuracy(embedding: torch.Tensor, labels: torch.Tensor, classes: int) -> float:
    """Nearest-class-mean accuracy with the evaluated set's own centres (the engine's stage-1 validation metric)."""
    centres = class_centres(embedding, labels, classes)
    return (torch.argmax(embedding @ centres.t(), dim=1) == labels).double().mean().item()
