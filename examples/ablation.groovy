// Ablation: prompt length × initialisation, a small version of the paper's Figure 3 (a: length, b: init).
//
//     bin/prompttune run examples/ablation.groovy
//
// Nine prompts on the spam task, one per grid point; the frozen model is loaded once for all of them, and the
// baselines are scored once. The paper sweeps lengths 1…150 over five model sizes with 30,000 steps each; this
// grid takes about 7 minutes on 2 CPU cores (measured 6m52s on the shipped t5-mini-span: sampled-vocabulary init at
// length 20 was best, test 0.638, random 0.623, labels 0.545, against 0.515 for prompt design and 0.500 for the
// majority class; longer prompts did better under random and vocab init). `prompttune run` prints the grid (test
// accuracy, rows: length, columns: init) with the baselines below it; every run's record is under runs/.

sweep {
    model 't5-mini-span' // the span-corruption checkpoint the numbers above were measured on (not the default)
    data 'spam'
    length 1, 5, 20
    init 'random', 'vocab', 'labels'
    steps 150
    batch 16
    evalEvery 75
    maxInputLength 128 // as the quickstart: e-mails cut at 128 tokens (2-3x faster)
}
