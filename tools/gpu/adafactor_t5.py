"""T5's Adafactor, as the Java build's `--optimizer adafactor-t5` runs it (Adafactor.paper with scaleParameter,
no weight decay; core/.../train/optim/Adafactor.java): factored second moment over the two largest dims when both
are at least 128, beta2 = 1 - (t + 1)^-0.8 with t the 0-based update index, update clipped at RMS 1, step
relative to the parameter's RMS (at least 1e-3), no momentum."""
import torch


class AdafactorT5(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, decay_rate=0.8, eps1=1e-30, eps2=1e-3, clip=1.0, factor_min_dim=128):
        super().__init__(params, dict(lr=lr, decay_rate=decay_rate, eps1=eps1, eps2=eps2, clip=clip,
                                      factor_min_dim=factor_min_dim))

    @staticmethod
    def _factored_dims(shape, min_dim):
        """The two largest dims (the later one on ties), or None when the tensor keeps a full second moment."""
        if len(shape) < 2:
            return None
        order = sorted(range(len(shape)), key=lambda d: (shape[d], d))
        small, large = order[-2], order[-1]
        if shape[small] < min_dim:
            return None
        return small, large

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.float()
                state = self.state[p]
                t = state.get("step", 0)
                beta2 = 1.0 - (t + 1) ** -group["decay_rate"]
                g2 = g * g + group["eps1"]
                dims = self._factored_dims(p.shape, group["factor_min_dim"])
                if dims is not None:
                    a, b = dims
                    if "row" not in state:
                        state["row"] = torch.zeros_like(g2.mean(dim=b))
                        state["col"] = torch.zeros_like(g2.mean(dim=a))
                    row, col = state["row"], state["col"]
                    row.mul_(beta2).add_(g2.mean(dim=b), alpha=1 - beta2)
                    col.mul_(beta2).add_(g2.mean(dim=a), alpha=1 - beta2)
                    # v ~ row col / mean(row): row keeps dim a, col keeps dim b
                    row_factor = (row / row.mean(dim=a if a < b else a - 1, keepdim=True)).rsqrt().unsqueeze(b)
                    col_factor = col.rsqrt().unsqueeze(a)
                    u = g * row_factor * col_factor
                else:
                    if "v" not in state:
                        state["v"] = torch.zeros_like(g2)
                    v = state["v"]
                    v.mul_(beta2).add_(g2, alpha=1 - beta2)
                    u = g * v.rsqrt()
                rms_u = u.pow(2).mean().sqrt()
                u = u / torch.clamp(rms_u / group["clip"], min=1.0)
                scale = torch.clamp(p.float().pow(2).mean().sqrt(), min=group["eps2"])
                p.add_((-group["lr"] * scale * u).to(p.dtype))
                state["step"] = t + 1
        return None
