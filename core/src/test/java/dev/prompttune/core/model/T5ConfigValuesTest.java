package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prompttune.core.PromptTuneException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * config.json values that would make the model compute garbage are refused when it is read, one line naming the key,
 * the value and what is allowed: a layer_norm_epsilon of -1 used to load and fail training with a NaN loss (exit 1,
 * as if the run had diverged), and token ids outside the vocabulary loaded silently.
 */
class T5ConfigValuesTest {

    private static final String BASE = "{\"model_type\": \"t5\", \"vocab_size\": 100, \"d_model\": 8, \"d_kv\": 4, "
            + "\"d_ff\": 16, \"num_heads\": 2, \"num_layers\": 1";

    private static T5Config parse(String extra) {
        return T5Config.parse(BASE + extra + "}", "cfg/config.json");
    }

    @Test
    void defaultsAndInRangeValuesLoad() {
        T5Config c = parse(", \"layer_norm_epsilon\": 1e-6, \"pad_token_id\": 0, \"eos_token_id\": 99");
        assertEquals(99, c.eosTokenId);
        assertEquals(0, c.decoderStartTokenId, "defaults to pad_token_id");
        assertEquals(1, parse("").eosTokenId);
    }

    @Test
    void outOfRangeValuesAreOneLineErrors() {
        Map<String, String> cases = Map.of(
                ", \"layer_norm_epsilon\": -1", "cfg/config.json: 'layer_norm_epsilon' is -1; expected a positive number (T5 uses 1e-6)",
                ", \"layer_norm_epsilon\": 0", "cfg/config.json: 'layer_norm_epsilon' is 0; expected a positive number (T5 uses 1e-6)",
                ", \"pad_token_id\": 99999", "cfg/config.json: 'pad_token_id' is 99999; expected a token id from 0 to 99 (vocab_size 100)",
                ", \"eos_token_id\": -5", "cfg/config.json: 'eos_token_id' is -5; expected a token id from 0 to 99 (vocab_size 100)",
                ", \"decoder_start_token_id\": 1.5", "cfg/config.json: 'decoder_start_token_id' is 1.5; expected a token id from 0 to 99 (vocab_size 100)");
        cases.forEach((extra, message) -> {
            PromptTuneException e = assertThrows(PromptTuneException.class, () -> parse(extra), extra);
            assertEquals(message, e.getMessage(), extra);
        });
    }
}
