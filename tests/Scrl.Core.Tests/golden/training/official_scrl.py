"""The official optimizer, learning-rate schedule and EMA schedule, transcribed from their sources.

The code that runs is copied as written; docstrings, comments and the methods these scripts never call
((de)serialisation, __repr__, add_param_group) are left out.

- LinearWarmupScheduler: kakaobrain/scrl optim/scheduler.py (62730fb). It wraps torch's own CosineAnnealingLR,
  as optim/getters.py builds it.
- LARS: kakaobrain/torchlars torchlars/lars.py (v0.1.2, 3b3d7e9); compute_adaptive_lr is the CPU path of
  torchlars/adaptive_lr.cc (ComputeAdaptiveLrAfterTypeCheck), whose scalars are cast to the norms' dtype.
- CustomLARS: kakaobrain/scrl optim/optim.py.
- bisect_params_with_names, scale_learning_rate and the scheduler part of get_optimizer_and_scheduler:
  kakaobrain/scrl optim/getters.py (world size 1).
- decay_ema_momentum: kakaobrain/scrl trainer/base.py BYOLBasedTrainer._decay_ema_momentum; its global_step is
  trainer/trainer.py's len(loader) * (epoch - 1) + step - 1.
"""
from contextlib import contextmanager
from functools import wraps
import math
import warnings

import torch
from torch.optim import Optimizer
from torch.optim.lr_scheduler import CosineAnnealingLR, ReduceLROnPlateau

EPOCH_DEPRECATION_ERROR = (
    "If the cause of this exception is the deprecation of `epoch` argument, "
    "set argument `deprecate_epoch=True` in `scheduler.__init__()` "
    "in which batch-level adjustment is sustained for the warmup scheduler "
    "while epoch-level adjustment is used for the main_scheduler abiding by "
    "the deprecation."
)


# ---- kakaobrain/scrl optim/scheduler.py -------------------------------------------------------------------------
def suppress_warning(func):
    @wraps(func)
    def decorated(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning)
            try:
                return func(*args, **kwargs)
            except Exception as ex:
                raise Exception(EPOCH_DEPRECATION_ERROR) from ex
    return decorated


class _enable_get_lr_call:

    def __init__(self, o):
        self.o = o

    def __enter__(self):
        self.o._get_lr_called_within_step = True
        return self

    def __exit__(self, type, value, traceback):
        self.o._get_lr_called_within_step = False


class LinearWarmupScheduler(object):
    def __init__(self, optimizer, main_scheduler, max_steps, max_epochs,
                 deprecate_epoch=False):
        if type(main_scheduler) == ReduceLROnPlateau:
            raise NotImplementedError('Not supported yet!')
        self.max_epochs = max_epochs
        self.last_epoch = 0
        self.epoch_per_step = 1 / max_steps
        self.eps = self.epoch_per_step * 0.1  # arbitrary smaller value
        self.main_scheduler = main_scheduler
        self.deprecate_epoch = deprecate_epoch

        if not isinstance(optimizer, Optimizer):
            raise TypeError('{} is not an Optimizer'.format(
                type(optimizer).__name__))
        self.optimizer = optimizer

        for group in optimizer.param_groups:
            group.setdefault('initial_lr', group['lr'])
        self.base_lrs = list(map(lambda group: group['initial_lr'],
                                 optimizer.param_groups))

    @property
    def _is_epoch_level_update(self):
        return (self.last_epoch > self.max_epochs and
                self.last_epoch % 1.0 < self.eps)

    def get_last_lr(self):
        if not hasattr(self, '_last_lr'):
            raise RuntimeError("Run scheduler.step() first!")
        return self._last_lr

    def get_lr(self):
        ratio = min(self.last_epoch / self.max_epochs, 1.0)
        return [base_lr * ratio for base_lr in self.base_lrs]

    def _step(self, epoch=None):

        with _enable_get_lr_call(self):
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                values = self.get_lr()

        for param_group, lr in zip(self.optimizer.param_groups, values):
            param_group['lr'] = lr

        self._last_lr = [group['lr'] for group in self.optimizer.param_groups]

    @suppress_warning
    def step(self):
        """step method for batch-level adjustment."""
        epoch = self.last_epoch + self.epoch_per_step
        if epoch > self.max_epochs:
            if self.deprecate_epoch:
                if self._is_epoch_level_update:
                    self.main_scheduler.step()
            else:
                self.main_scheduler.step(epoch - self.max_epochs)
            self.last_epoch = epoch
            self._last_lr = self.main_scheduler.get_last_lr()
        else:
            return self._step(epoch)


# ---- kakaobrain/torchlars torchlars/adaptive_lr.cc (CPU) and torchlars/lars.py ------------------------------------
def compute_adaptive_lr(param_norm, grad_norm, weight_decay, eps, trust_coef, out):
    as_scalar = lambda v: torch.tensor(v, dtype=param_norm.dtype)   # the kernel's scalar_t arguments
    weight_decay, eps, trust_coef = as_scalar(weight_decay), as_scalar(eps), as_scalar(trust_coef)
    if param_norm > 0 and grad_norm > 0:
        divisor = grad_norm + weight_decay * param_norm + eps
        out.copy_(param_norm / divisor * trust_coef)
    else:
        out.fill_(1.0)
    return out


class LARS(Optimizer):
    def __init__(self, optimizer, eps=1e-8, trust_coef=0.001):
        if eps < 0.0:
            raise ValueError('invalid epsilon value: , %f' % eps)
        if trust_coef < 0.0:
            raise ValueError("invalid trust coefficient: %f" % trust_coef)

        self.optim = optimizer
        self.eps = eps
        self.trust_coef = trust_coef
        self.adaptive_lr = torch.ones([])

    @property
    def param_groups(self):
        return self.optim.param_groups

    def state_dict(self):
        return self.optim.state_dict()

    def zero_grad(self):
        self.optim.zero_grad()

    @contextmanager
    def hide_weight_decays(self):
        weight_decays = []

        for group in self.optim.param_groups:
            if 'weight_decay' in group:
                weight_decays.append(group['weight_decay'])
                group['weight_decay'] = 0
            else:
                weight_decays.append(None)

        try:
            yield weight_decays
        finally:
            for group, weight_decay in zip(self.optim.param_groups, weight_decays):
                if weight_decay is None:
                    continue
                group['weight_decay'] = weight_decay

    def step(self, *args, **kwargs):
        with self.hide_weight_decays() as weight_decays:
            self.apply_adaptive_lrs(weight_decays)
            return self.optim.step(*args, **kwargs)


# ---- kakaobrain/scrl optim/optim.py -------------------------------------------------------------------------------
class CustomLARS(LARS):
    def __init__(self, *args, exclude_weight_decay=(), exclude_lars_adaptation=(), **kwargs):
        super(CustomLARS, self).__init__(*args, **kwargs)
        self._exclude_weigt_decay = exclude_weight_decay
        self._exclude_lars_adaptation = exclude_lars_adaptation

    def apply_adaptive_lrs(self, weight_decays):
        with torch.no_grad():
            for group, weight_decay in zip(self.optim.param_groups, weight_decays):
                if weight_decay is None:
                    weight_decay = 0.0
                for p in group['params']:
                    if p.grad is None:
                        continue

                    if group.get('lars_adaptation', True):

                        param_norm = p.norm()
                        grad_norm = p.grad.norm()

                        param_norm_spec = (param_norm.is_cuda, param_norm.type())
                        adaptive_lr_spec = (self.adaptive_lr.is_cuda, self.adaptive_lr.type())

                        if param_norm_spec != adaptive_lr_spec:
                            self.adaptive_lr = torch.ones_like(param_norm)

                        adaptive_lr = compute_adaptive_lr(
                            param_norm,
                            grad_norm,
                            weight_decay,
                            self.eps,
                            self.trust_coef,
                            self.adaptive_lr)

                    else:
                        adaptive_lr = group['lr']

                    p.grad.add_(p.data, alpha=weight_decay)
                    p.grad.mul_(adaptive_lr)


# ---- kakaobrain/scrl optim/getters.py -----------------------------------------------------------------------------
def bisect_params_with_names(named_params, criterion):
    out_params = []
    in_params = []
    for name, param in named_params:
        if any([c in name for c in criterion]):
            in_params.append(param)
        else:
            out_params.append(param)
    return out_params, in_params


def scale_learning_rate(lr_origin, local_batch, world_size=1):
    global_batch = int(local_batch * world_size)
    return lr_origin * global_batch / 256.


def official_param_groups(named_params):
    """get_optimizer_and_scheduler(exclude_from_lars=True)'s groups."""
    params_default, params_bn_bias = bisect_params_with_names(named_params, criterion=['bn', 'bias'])
    param_group = [{'params': params_default, 'lars_adaptation': True}]
    if params_bn_bias:
        param_group.append({'params': params_bn_bias, 'lars_adaptation': False, 'weight_decay': 0.})
    return param_group


def official_scheduler(optimizer, max_epochs, warmup_epochs, steps_per_epoch):
    """get_optimizer_and_scheduler's scheduler; steps_per_epoch is len(loader)."""
    t_max = max_epochs - warmup_epochs
    scheduler = CosineAnnealingLR(optimizer=optimizer, T_max=t_max, eta_min=0.)
    if warmup_epochs:
        scheduler = LinearWarmupScheduler(
            optimizer=optimizer,
            max_steps=steps_per_epoch,
            max_epochs=warmup_epochs,
            main_scheduler=scheduler,
            deprecate_epoch=False)
    return scheduler


# ---- kakaobrain/scrl trainer/base.py ------------------------------------------------------------------------------
def decay_ema_momentum(m_base, step, total_global_step):
    return (1 - (1 - m_base) *
            (math.cos(math.pi * step / total_global_step) + 1) / 2)
