#!/usr/bin/env python3
"""Golden vectors for the feature and relation baselines, written independently of Refilled's C# code.

    /usr/bin/python3 tests/reference/make_baseline_golden.py tests/fixtures/golden/baselines

needs only PyTorch (Debian: apt-get install python3-torch). Every input is float32-representable; every expected
value is computed in float64. The formulas, and the sources they follow, are in the output folder's README.md.
After regenerating, update tests/fixtures/golden.sha256 (sha256sum over the folder's files).
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def f32(t):
    """Rounds to float32 and back, so the C# side reads exactly the values used here."""
    return t.float().double()


def draw(gen, *shape, scale=1.0, positive=False):
    x = torch.randn(*shape, generator=gen) * scale
    return f32(x.abs() + 0.1 if positive else x)


# ---- relational KD (Park et al., CVPR 2019), embeddings as given ----

def pairwise(e):
    sq = (e * e).sum(1)
    d = (sq[:, None] + sq[None, :] - 2 * e @ e.T).clamp_min(1e-12).sqrt()
    return d * (1 - torch.eye(len(e)))


def rkd_terms(s, t):
    def normalised(e):
        d = pairwise(e)
        return d / d[d > 0].mean()

    def angles(e):
        diff = e[None, :, :] - e[:, None, :]                      # [i, j] = e_j - e_i
        u = diff / diff.norm(dim=2, keepdim=True).clamp_min(1e-12)
        return torch.einsum('ijd,ikd->ijk', u, u)

    return F.smooth_l1_loss(normalised(s), normalised(t)), F.smooth_l1_loss(angles(s), angles(t))


def rkd_case(seed, B, Ds, Dt):
    gen = torch.Generator().manual_seed(seed)
    s, t = draw(gen, B, Ds), draw(gen, B, Dt, scale=2.0)
    wd, wa = 25.0, 50.0
    student = s.clone().requires_grad_()
    distance, angle = rkd_terms(student, t)
    loss = wd * distance + wa * angle
    loss.backward()
    return dict(kind='rkd', seed=seed, params=dict(B=B, Ds=Ds, Dt=Dt, distance_weight=wd, angle_weight=wa),
                inputs=dict(student_emb=s.tolist(), teacher_emb=t.tolist()),
                expected=dict(distance_loss=distance.item(), angle_loss=angle.item(), loss=loss.item(),
                              grad_student_emb=student.grad.tolist()))


# ---- attention transfer (Zagoruyko & Komodakis, ICLR 2017), p = 2 ----

def attention_map(f):
    q = f.pow(2).mean(dim=1).flatten(1)
    return q / q.norm(dim=1, keepdim=True).clamp_min(1e-12)


def at_case(seed, B, convention):
    gen = torch.Generator().manual_seed(100 + seed)
    shapes = [((B, 6, 8, 8), (B, 12, 8, 8)), ((B, 10, 4, 4), (B, 5, 4, 4)), ((B, 3, 2, 2), (B, 7, 2, 2))]
    fs = [draw(gen, *a) for a, _ in shapes]
    ft = [draw(gen, *b, scale=1.5) for _, b in shapes]
    beta = 1000.0
    factor = {'beta': beta, 'halfbeta': beta / 2}[convention]
    student = [f.clone().requires_grad_() for f in fs]
    loss = factor * sum(((attention_map(a) - attention_map(b)) ** 2).mean() for a, b in zip(student, ft))
    loss.backward()
    return dict(kind='attention_transfer', seed=seed, params=dict(B=B, beta=beta, p=2, convention=convention),
                inputs=dict(student_features=[f.tolist() for f in fs], teacher_features=[f.tolist() for f in ft]),
                expected=dict(loss=loss.item(), attention_student=[attention_map(f).tolist() for f in fs],
                              grad_student_features=[f.grad.tolist() for f in student]))


# ---- FitNet as RepDistiller trains it: MSE(ConvReg(f_s), f_t), ConvReg = conv, BatchNorm (eval), ReLU ----

def conv_reg_layer(s_shape, t_shape):
    """The convolution RepDistiller's ConvReg picks: (kind, weight shape, stride, padding)."""
    (cs, hs, ws), (ct, ht, wt) = s_shape, t_shape
    if hs == 2 * ht:
        return 'conv', (ct, cs, 3, 3), 2, 1
    if 2 * hs == ht:
        return 'transposed', (cs, ct, 4, 4), 2, 1
    if hs >= ht:
        return 'conv', (ct, cs, 1 + hs - ht, 1 + ws - wt), 1, 0
    raise ValueError('no ConvReg for these sizes')


def module_conv_reg(kind, w_shape, stride, padding, weights):
    """The same ConvReg from torch.nn modules in eval mode: a check on the functional form above."""
    if kind == 'conv':
        conv = torch.nn.Conv2d(w_shape[1], w_shape[0], w_shape[2:], stride=stride, padding=padding)
    else:
        conv = torch.nn.ConvTranspose2d(w_shape[0], w_shape[1], w_shape[2:], stride=stride, padding=padding)
    net = torch.nn.Sequential()
    net.add_module('conv', conv)
    net.add_module('bn', torch.nn.BatchNorm2d(weights['bn.weight'].shape[0]))
    net.add_module('relu', torch.nn.ReLU())
    net.load_state_dict(weights, strict=False)
    return net.eval().requires_grad_(False)


def fitnet_case(seed, B, s_shape, t_shape):
    gen = torch.Generator().manual_seed(200 + seed)
    kind, w_shape, stride, padding = conv_reg_layer(s_shape, t_shape)
    ct = t_shape[0]
    fan_in = w_shape[1] * w_shape[2] * w_shape[3] if kind == 'conv' else w_shape[0] * w_shape[2] * w_shape[3]
    regressor = {
        'conv.weight': draw(gen, *w_shape, scale=fan_in ** -0.5),
        'conv.bias': draw(gen, ct, scale=0.1),
        'bn.weight': f32(1 + 0.2 * torch.randn(ct, generator=gen)),
        'bn.bias': draw(gen, ct, scale=0.2),
        'bn.running_mean': draw(gen, ct, scale=0.3),
        'bn.running_var': draw(gen, ct, scale=0.5, positive=True),
    }
    fs = draw(gen, B, *s_shape)
    ft = draw(gen, B, *t_shape, positive=True)
    weight = 100.0
    student = fs.clone().requires_grad_()
    learnable = {k: v.clone().requires_grad_() for k, v in regressor.items() if 'running' not in k}
    op = F.conv2d if kind == 'conv' else F.conv_transpose2d
    z = op(student, learnable['conv.weight'], learnable['conv.bias'], stride=stride, padding=padding)
    z = F.batch_norm(z, regressor['bn.running_mean'], regressor['bn.running_var'], learnable['bn.weight'],
                     learnable['bn.bias'], training=False, eps=1e-5)
    regressed = F.relu(z)
    assert regressed.shape == ft.shape, (regressed.shape, ft.shape)
    assert torch.allclose(regressed, module_conv_reg(kind, w_shape, stride, padding, regressor)(fs), rtol=1e-12, atol=1e-12)
    hint = ((regressed - ft) ** 2).mean()
    loss = weight * hint
    loss.backward()
    return dict(kind='fitnet', seed=seed, params=dict(B=B, hint_weight=weight, bn_eps=1e-5, conv=kind),
                inputs=dict(student_features=fs.tolist(), teacher_features=ft.tolist(),
                            regressor={k: v.tolist() for k, v in regressor.items()}),
                expected=dict(regressed=regressed.tolist(), hint_loss=hint.item(), loss=loss.item(),
                              grad_student_features=student.grad.tolist(),
                              grad_regressor={k: v.grad.tolist() for k, v in learnable.items()}))


CASES = {
    'rkd_0': lambda: rkd_case(0, 8, 16, 32),
    'rkd_1': lambda: rkd_case(1, 13, 24, 6),
    'at_0': lambda: at_case(0, 4, 'beta'),
    'at_1': lambda: at_case(1, 3, 'halfbeta'),
    'fitnet_0': lambda: fitnet_case(0, 3, (4, 16, 16), (6, 8, 8)),    # student twice the size: 3x3, stride 2
    'fitnet_1': lambda: fitnet_case(1, 2, (8, 4, 4), (5, 8, 8)),      # half: 4x4 transposed, stride 2
    'fitnet_2': lambda: fitnet_case(2, 4, (6, 8, 8), (10, 8, 8)),     # the same size: 1x1
    'fitnet_3': lambda: fitnet_case(3, 2, (3, 9, 7), (4, 6, 5)),      # larger, not twice: 4x3
}


if __name__ == '__main__':
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, make in CASES.items():
        case = make()
        with open(os.path.join(out, name + '.json'), 'w') as f:
            json.dump(case, f, allow_nan=False, separators=(',', ':'))
        print(name, case['expected']['loss'])
