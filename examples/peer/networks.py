"""The networks Refilled trains, written for PyTorch from their published structure.

Each network maps images to (logits, embedding); the embedding is the globally average-pooled feature vector that
feeds the classifier. `build(name, classes, image_size)` takes Refilled's architecture names:

* wrn-D-W: the CIFAR Wide-ResNet of the REFILLED / RepDistiller code: conv3x3 3->16, three groups of (D-4)/6
  pre-activation blocks of widths 16W, 32W, 64W (strides 1, 2, 2), a final BN (momentum 0.9, as released)-ReLU.
  Block: BN-ReLU-conv3x3 -> BN-ReLU-dropout(0.3)-conv3x3(stride) plus a 1x1 projection of the block's input when
  the shape changes; every conv has a bias.
* mobilenet-CA: MobileNet v1 with channel multiplier CA (channels truncated with int()): conv3x3/2-BN-ReLU, then 13
  blocks depthwise conv3x3(stride)-BN-ReLU-pointwise conv1x1-BN-ReLU, no conv bias (Refilled's MobileNet.cs).
* smallcnn[-W]: Refilled's quickstart network for 28x28 grey images (SmallCnn.cs): three bias-free conv3x3-BN-ReLU
  blocks of widths W, 2W, 4W (W = 32 by default), max-pooling after the first two.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class PreActivationBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int, dropout: float):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(c_in)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, stride, 1)
        self.projection = nn.Conv2d(c_in, c_out, 1, stride) if stride != 1 or c_in != c_out else None

    def forward(self, x):
        h = self.conv1(F.relu(self.bn1(x)))
        h = self.conv2(self.dropout(F.relu(self.bn2(h))))
        return h + (x if self.projection is None else self.projection(x))


class EmbeddingNetwork(nn.Module):
    """features(x) -> global average pool -> embedding -> fc -> logits."""

    def embed(self, x):
        return F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)

    def forward(self, x):
        e = self.embed(x)
        return self.fc(e), e


class WideResNet(EmbeddingNetwork):
    def __init__(self, depth: int, width: int, classes: int, dropout: float = 0.3):
        super().__init__()
        if (depth - 4) % 6:
            raise ValueError('a WRN depth is 6n + 4')
        n = (depth - 4) // 6
        widths = [16, 16 * width, 32 * width, 64 * width]
        blocks = [nn.Conv2d(3, 16, 3, 1, 1)]
        for group, stride in enumerate((1, 2, 2)):
            for i in range(n):
                blocks.append(PreActivationBlock(widths[group] if i == 0 else widths[group + 1], widths[group + 1],
                                                 stride if i == 0 else 1, dropout))
        self.body = nn.Sequential(*blocks)
        self.bn = nn.BatchNorm2d(widths[3], momentum=0.9)
        self.fc = nn.Linear(widths[3], classes)

    def features(self, x):
        return F.relu(self.bn(self.body(x)))


def conv_bn_relu(c_in: int, c_out: int, kernel: int, stride: int, groups: int = 1):
    return [nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]


class MobileNet(EmbeddingNetwork):
    # (output channels, stride) of the 13 depthwise-separable blocks, before the multiplier.
    BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
              (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]

    def __init__(self, multiplier: float, classes: int):
        super().__init__()
        c_in = int(32 * multiplier)
        layers = conv_bn_relu(3, c_in, 3, 2)
        for channels, stride in self.BLOCKS:
            c_out = int(channels * multiplier)
            layers += conv_bn_relu(c_in, c_in, 3, stride, groups=c_in) + conv_bn_relu(c_in, c_out, 1, 1)
            c_in = c_out
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear(c_in, classes)

    def features(self, x):
        return self.body(x)


class SmallCnn(EmbeddingNetwork):
    def __init__(self, width: int, classes: int):
        super().__init__()
        self.body = nn.Sequential(*conv_bn_relu(1, width, 3, 1), nn.MaxPool2d(2),
                                  *conv_bn_relu(width, 2 * width, 3, 1), nn.MaxPool2d(2),
                                  *conv_bn_relu(2 * width, 4 * width, 3, 1))
        self.fc = nn.Linear(4 * width, classes)

    def features(self, x):
        return self.body(x)


def build(name: str, classes: int) -> EmbeddingNetwork:
    family, _, size = name.partition('-')
    if family == 'wrn':
        depth, width = size.split('-')
        return WideResNet(int(depth), int(width), classes)
    if family == 'mobilenet':
        return MobileNet(float(size), classes)
    if family == 'smallcnn':
        return SmallCnn(int(size) if size else 32, classes)
    raise ValueError(f'unknown network {name}')


def input_shape(name: str, image_size: int):
    return (1 if name.startswith('smallcnn') else 3, image_size, image_size)


def sgd(model: nn.Module, lr: float = 0.1, weight_decay: float = 5e-4):
    """Refilled's optimiser: SGD with Nesterov momentum 0.9."""
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True, weight_decay=weight_decay)
