// Ablation: prompt length × initialisation, a small version of the paper's Figure 3 (a: length, b: init).
//
//     bin/prompttune run examples/ablation.groovy
//
// Nine prompts on the spam task, one per grid point, with the quickstart's recipe at half its steps; the frozen
// model is loaded once for all of them, and the baselines are scored once. The paper sweeps lengths 1…150 over five
// model sizes with 30,000 steps each. `prompttune run` prints the grid (test accuracy, rows: length, columns: init)
// with the baselines below it; every run's record is under runs/. Measured on the previous default t5-mini-wide
// (same shape and recipe as t5-mini-ppmi, random embedding start; no longer shipped) 2026-12-06 (5 min 43 s on a
// 2-vCPU Intel Xeon VM, 2 PyTorch threads, seed 42; one seed, so differences under about 0.03 are noise); not yet
// re-measured on t5-mini-ppmi, whose 300-step numbers over seeds 1-3 are in notebooks/ablations.ipynb (b) and (c).
// Test accuracy on t5-mini-wide:
//
//     length   random   vocab   labels
//     1        0.650    0.688   0.703
//     5        0.790    0.800   0.805
//     20       0.833    0.845   0.835      prompt design 0.510, majority class 0.500
//
// With 1 PyTorch thread (--threads 1): length 5 0.788 / 0.800 / 0.800, length 20 0.833 / 0.830 / 0.828, length 1 the
// same to the last digit. Longer prompts help from 1 to 20 under every initialisation with either thread count; the
// three initialisations are within noise at 5 and 20 (over seeds 1-3, notebooks/ablations.ipynb (b) and (c)).
// notebooks/ablations.ipynb runs the same comparisons over three seeds with error bars.

sweep {
    model 't5-mini-ppmi' // the default
    data 'spam'
    length 1, 5, 20
    init 'random', 'vocab', 'labels'
    steps 150
    batch 16
    evalEvery 75
    maxInputLength 64 // as the quickstart: e-mails cut to their first 64 tokens
    loss 'classes'    // as the quickstart: cross-entropy over the labels' scores
}
