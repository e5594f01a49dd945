"""The PyTorch peer of Refilled's Bench: images/s of the same per-step workloads, one JSON object per line.

    /usr/bin/python3 examples/peer/bench_step.py --arch wrn-16-1 --teacher wrn-40-2 --batch 128 --steps 5

Steps (as src/Refilled.Bench times them, on one random batch):
  stage1_step   teacher embedding (no grad) + student embedding + semi-hard mining + stage-1 loss + backward + SGD
  stage2_step   student forward + teacher embedding (no grad) + stage-2 loss (global centres) + backward + SGD
                (the released order: the student's forward before the teacher's)
  ce_step       student forward + cross-entropy + backward + SGD
  eval_forward  student forward in eval mode, no grad
--bf16 runs every network forward under torch.autocast('cpu', bfloat16) (embeddings and logits go to float32 before
the losses); --channels-last puts the networks and the input in torch.channels_last. Each step line carries
images_per_s (batch x steps / wall time of the timed steps) and ms_per_step.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time

import torch
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import losses  # noqa: E402
import networks  # noqa: E402


def emit(record: dict):
    print(json.dumps(record), flush=True)


def cpu_model() -> str:
    try:
        with open('/proc/cpuinfo') as f:
            return next((line.split(':', 1)[1].strip() for line in f if line.startswith('model name')), '')
    except OSError:
        return ''


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--arch', default='wrn-16-1')
    ap.add_argument('--teacher', default='wrn-40-2')
    ap.add_argument('--image-size', type=int, default=32)
    ap.add_argument('--classes', type=int, default=100)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--steps', type=int, default=5, help='timed steps')
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    ap.add_argument('--only', default='stage1_step,stage2_step,ce_step,eval_forward')
    ap.add_argument('--bf16', action='store_true')
    ap.add_argument('--channels-last', action='store_true')
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    amp = (lambda: torch.autocast('cpu', dtype=torch.bfloat16)) if args.bf16 else contextlib.nullcontext
    emit(dict(name='environment', torch=torch.__version__, threads=torch.get_num_threads(), cpu=cpu_model(),
              arch=args.arch, teacher=args.teacher, batch=args.batch, image_size=args.image_size,
              bf16=args.bf16, channels_last=args.channels_last))

    b, classes = args.batch, args.classes
    student = networks.build(args.arch, classes)
    teacher = networks.build(args.teacher, classes).eval().requires_grad_(False)
    x = torch.randn(b, *networks.input_shape(args.arch, args.image_size))
    y = torch.randint(0, classes, (b,))
    if args.channels_last:
        student = student.to(memory_format=torch.channels_last)
        teacher = teacher.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    # Stage 1 trains the backbone only (the classifier is stage 2's); stage 2 and CE train everything.
    backbone = torch.optim.SGD([q for name, q in student.named_parameters() if not name.startswith('fc.')],
                               lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    whole = networks.sgd(student)
    with torch.no_grad(), amp():
        centres = losses.class_centres(teacher.embed(x).float(), y, classes)
    triplet_counts = []

    def update(optimiser, loss):
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()

    def stage1():
        student.train()
        with torch.no_grad(), amp():
            t = F.normalize(teacher.embed(x).float(), dim=1)
        with amp():
            s = F.normalize(student.embed(x).float(), dim=1)
        triplets = losses.semihard_triplets(s, y)
        triplet_counts.append(len(triplets[0]))
        update(backbone, losses.relationship_loss(s, t, triplets))

    def stage2():
        student.train()
        with amp():
            z = student(x)[0].float()
        with torch.no_grad(), amp():
            t = teacher.embed(x).float()
        update(whole, losses.local_classifier_loss(z, y, t, centres))

    def cross_entropy():
        student.train()
        with amp():
            z = student(x)[0].float()
        update(whole, F.cross_entropy(z, y))

    def eval_forward():
        student.eval()
        with torch.no_grad(), amp():
            student(x)[0].sum().item()

    steps = dict(stage1_step=stage1, stage2_step=stage2, ce_step=cross_entropy, eval_forward=eval_forward)
    for name in args.only.split(','):
        step = steps[name]
        for _ in range(args.warmup):
            step()
        triplet_counts.clear()
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        seconds = time.perf_counter() - start
        record = dict(name=name, batch=b, steps=args.steps, images_per_s=round(b * args.steps / seconds, 2),
                      ms_per_step=round(1000 * seconds / args.steps, 1), load_average=os.getloadavg()[0])
        if triplet_counts:
            record['triplets'] = round(sum(triplet_counts) / len(triplet_counts))
        emit(record)


if __name__ == '__main__':
    main()
