"""The dropout lab's script: the reference network trained with torch, epoch by epoch, with
early stopping; its test accuracy, best epoch and best validation loss."""

from __future__ import annotations

from reglab.core.dropout.params import DropoutParams
from reglab.core.scripts import data_code, footer, header, refuse

GENERATED = """from sklearn.datasets import make_classification

X, y = make_classification(
    n_samples={rows}, n_features=100, n_informative=20, n_redundant=10, n_classes=10,
    n_clusters_per_class=1, random_state={seed},
)
"""


def render(params: DropoutParams) -> str:
    p = params.effective()
    refuse(p.device == "cuda", "device=cuda (the script trains on the CPU)")
    if p.dataset in ("synthetic", "reference"):
        data = GENERATED.format(rows=3000 if p.dataset == "synthetic" else 1500, seed=p.seed)
    else:
        data = data_code(p, "classification")
    optimizer = "torch.optim.AdamW" if p.optimizer == "adamw" else "torch.optim.Adam"
    return (
        header(p, "numpy, scikit-learn and torch")
        + f"""
import math

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)  # one thread: the same sums, so the same numbers, everywhere

{data}
# Stratified 60/20/20 train / validation / test, standardized on the training rows.
_, y = np.unique(y, return_inverse=True)
X_train, X_rest, y_train, y_rest = train_test_split(
    X, y, test_size=0.4, random_state={p.seed}, stratify=y
)
X_val, X_test, y_val, y_test = train_test_split(
    X_rest, y_rest, test_size=0.5, random_state={p.seed}, stratify=y_rest
)
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = (
    torch.as_tensor(scaler.transform(part), dtype=torch.float32)
    for part in (X_train, X_val, X_test)
)
y_train, y_val, y_test = (
    torch.as_tensor(part, dtype=torch.long) for part in (y_train, y_val, y_test)
)

torch.manual_seed({p.seed})  # the initial weights and the dropout masks
model = nn.Sequential(
    nn.Linear(X_train.shape[1], 256), nn.ReLU(), nn.Dropout({p.dropout!r}),
    nn.Linear(256, 128), nn.ReLU(), nn.Dropout({p.dropout!r}),
    nn.Linear(128, int(y.max()) + 1),
)
generator = torch.Generator().manual_seed({p.seed})  # batch order and input noise
optimizer = {optimizer}(model.parameters(), lr={p.lr!r}, weight_decay={p.weight_decay!r})
weights = [m.weight for m in model if isinstance(m, nn.Linear)]


@torch.no_grad()
def evaluate(X, y):
    model.eval()
    logits = model(X)
    return float(F.cross_entropy(logits, y)), int((logits.argmax(dim=1) == y).sum()) / len(y)


best_epoch, best_val_loss = 0, math.inf
best_state = {{k: v.detach().clone() for k, v in model.state_dict().items()}}
for epoch in range(1, {p.max_epochs} + 1):
    model.train()
    order = torch.randperm(len(y_train), generator=generator)
    for start in range(0, len(y_train), {p.batch_size}):
        rows = order[start : start + {p.batch_size}]
        inputs, targets = X_train[rows], y_train[rows]
        if {p.augment_noise!r} > 0:  # Gaussian noise on the inputs
            inputs = inputs + {p.augment_noise!r} * torch.randn(inputs.shape, generator=generator)
        logits = model(inputs)
        loss = F.cross_entropy(logits, targets)
        if {p.l1!r}:  # an L1 penalty on the weights
            loss = loss + {p.l1!r} * sum(w.abs().sum() for w in weights)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    val_loss, _ = evaluate(X_val, y_val)
    if val_loss < best_val_loss:  # early stopping keeps the best weights
        best_epoch, best_val_loss = epoch, val_loss
        best_state = {{k: v.detach().clone() for k, v in model.state_dict().items()}}
    elif {p.patience} and epoch - best_epoch >= {p.patience}:
        break

model.load_state_dict(best_state)
test_loss, test_accuracy = evaluate(X_test, y_test)
"""
        + footer(
            """{
    "test_accuracy": test_accuracy,
    "best_epoch": best_epoch,
    "best_val_loss": best_val_loss,
}"""
        )
    )
