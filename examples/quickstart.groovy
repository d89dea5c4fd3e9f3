// Quickstart: prompt-tune the built-in model on the default task (spam: is an e-mail spam or normal?).
//
//     bin/prompttune run examples/quickstart.groovy
//
// The model's weights stay frozen; only 20 prompt vectors (20 × 256 numbers) are trained, starting from the
// embeddings of the class labels. The paper trains 100 vectors for 30,000 steps; this is the few-minute version
// (1 to 3 minutes on 2 CPU cores, depending on the CPU: README, main job).
// `prompttune run` prints the script's value, the run, as a table: dev and test accuracy next to the baselines
// (the same frozen model with the template alone, and always answering the majority class), and where the prompt
// (prompt.safetensors) and the run's record (spec, metrics, predictions) were saved.

promptTune {
    model 't5-mini-ppmi' // the default built-in model: trained to answer with a word its encoder read, or to
                         // choose among words in front of the text the one that names its topic, as a prompt
                         // over class labels asks, from word vectors counted in its corpus (models/README.md)
    data 'spam'        // data/tasks/spam: "subject: {subject} message: {body}" → spam | normal
    length 20
    init 'labels'
    steps 300
    batch 16
    evalEvery 100
    maxInputLength 64 // e-mails cut to their first 64 tokens: the model was trained on passages of 12-45 tokens
    loss 'classes'     // train on what the run is scored by: cross-entropy over the labels' scores, not the
                       // paper's loss over the whole vocabulary (notebooks/ablations.ipynb (h), seeds 1-3: +0.17 here,
                       // +0.08 on brown-genre, +0.05 on fortune-topic)
}
