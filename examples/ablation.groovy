// Ablation: prompt length × initialisation, a small version of the paper's Figure 3 (a: length, b: init).
//
//     bin/prompttune run examples/ablation.groovy
//
// Nine prompts on the spam task, one per grid point, with the quickstart's recipe at half its steps; the frozen
// model is loaded once for all of them, and the baselines are scored once. The paper sweeps lengths 1…150 over five
// model sizes with 30,000 steps each. `prompttune run` prints the grid (test accuracy, rows: length, columns: init)
// with the baselines below it; every run's record is under runs/. Measured 2026-12-07 on a 2-vCPU AMD EPYC VM
// (family 25, AVX2 only), seed 42, one seed, so differences under about 0.03 are noise; 14 min 11 s with 2 PyTorch
// threads beside other work (1 min 18 s to 1 min 37 s a run), and the same table to the last digit with 1 thread
// (--threads 1). Test accuracy:
//
//     length   random   vocab   labels
//     1        0.753    0.758   0.745
//     5        0.878    0.893   0.888
//     20       0.930    0.908   0.910      prompt design 0.530, majority class 0.500
//
// Longer prompts help from 1 to 5 under every initialisation (by 0.12 to 0.14), and a little more to 20; the three
// initialisations are within noise at every length (over seeds 1-3 too: notebooks/ablations.ipynb (b) and (c)).
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
