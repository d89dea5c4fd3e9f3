package dev.prompttune.tools.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prompttune.tools.corpus.MailText.Mail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of the corpus converter on small hand-made inputs. */
class ConverterPartsTest {

    @Test
    void brownTagsAreStrippedAndPunctuationAttached() {
        assertEquals("The jury said \"no evidence\" was found, (as usual).",
                BrownCorpus.detokenize("The/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' was/bedz found/vbn"
                        + " ,/, (/( as/cs usual/jj )/) ./."));
        // doubled punctuation and a closing quote before the full stop (Brown's quirks)
        assertEquals("\"That's a peculiar way to think.\"",
                BrownCorpus.detokenize("``/`` That's/dt+bez a/at peculiar/jj way/nn to/to think/vb ''/'' ./."));
        assertEquals("She was a prudent soul; she packed.",
                BrownCorpus.detokenize("She/pps was/bedz a/at prudent/jj soul/nn ;/. ;/. she/pps packed/vbd ./."));
        assertEquals("Jr. left.", BrownCorpus.detokenize("Jr./np left/vbd ./."));
        assertEquals("1/2 inch", BrownCorpus.detokenize("1/2/cd inch/nn"));
        assertEquals("", BrownCorpus.detokenize("Introduction/nn-hl"));
    }

    @Test
    void brownParagraphsAreBlankLineSeparated() {
        List<List<String>> p = BrownCorpus.parse("\n\n\tA/at b/nn ./.\nC/at d/nn ./.\n\n\n\tE/at f/nn ./.\n");
        assertEquals(List.of(List.of("A b.", "C d."), List.of("E f.")), p);
    }

    @Test
    void passagesAreWholeSentencesOfSixtyToAHundredWords() {
        String sentence = "word ".repeat(24).strip() + ".";
        BrownCorpus.Doc doc = new BrownCorpus.Doc("cx01", "news", List.of(List.of(sentence, sentence, sentence,
                sentence, sentence, sentence, sentence)));
        List<String> passages = GenreTask.passages(doc);
        // sentences are added while the passage stays within 100 words: 4 (96 words), then the last 3 (72)
        assertEquals(2, passages.size());
        assertEquals(96, passages.get(0).split(" ").length);
        assertEquals(72, passages.get(1).split(" ").length);
        String longSentence = "long ".repeat(130).strip() + ".";
        List<String> cut = GenreTask.passages(new BrownCorpus.Doc("cx02", "news", List.of(List.of(longSentence))));
        assertEquals(1, cut.size());
        assertEquals(100, cut.get(0).split(" ").length); // the remaining 30 words are too few for a passage
    }

    @Test
    void quotedPrintableAndSubjectEncodingAreDecoded() {
        String raw = "From x  Thu Aug 22 2002\nSubject: =?iso-8859-1?Q?Caf=E9_news?=\nContent-Type: text/plain;"
                + " charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nHello caf=E9, a long li=\nne"
                + " here.\n> quoted line\n\nSecond paragraph.\n-- \nSignature Person\n";
        Mail m = MailText.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("Café news", m.subject());
        assertEquals(List.of("Hello café, a long line here.", "Second paragraph."), m.paragraphs());
    }

    @Test
    void multipartTakesPlainTextAndDropsAttachments() {
        String raw = "Subject: hi\nContent-Type: multipart/mixed; boundary=\"XYZ\"\n\npreamble\n--XYZ\n"
                + "Content-Type: text/plain\n\nThe plain text body.\n--XYZ\nContent-Type: application/octet-stream;"
                + " name=\"a.bin\"\nContent-Transfer-Encoding: base64\n\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xt\n"
                + "--XYZ--\n";
        Mail m = MailText.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("hi", m.subject());
        assertEquals(List.of("The plain text body."), m.paragraphs());
    }

    @Test
    void htmlOnlyMailsLoseTheirMarkup() {
        String raw = "Subject: offer\nContent-Type: text/html\nContent-Transfer-Encoding: base64\n\n"
                + java.util.Base64.getMimeEncoder().encodeToString(("<html><head><style>p{}</style></head><body>"
                + "<p>Buy <b>now</b> &amp; save&nbsp;50%</p><p>Click <a href=\"x\">here</a></p></body></html>")
                .getBytes(StandardCharsets.UTF_8)) + "\n";
        Mail m = MailText.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("Buy now & save 50%", "Click here"), m.paragraphs());
    }

    @Test
    void base64LookingLinesAndRulesAreDropped() {
        List<String> p = MailText.cleanBody("Text before.\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
                + "-----------------\nText after.\n");
        assertEquals(List.of("Text before. Text after."), p);
    }

    @Test
    void fortunesUndoOverstrikingAndLineHyphens(@TempDir Path dir) throws IOException {
        assertEquals("bold word", Fortunes.clean("b\bbo\bol\bld\bd word"));
        assertEquals("under", Fortunes.clean("_\bu_\bn_\bd_\be_\br"));
        Files.writeString(dir.resolve("topic"), "An over-\nwhelming majority -- of\n\tthem.\n%\n\n%\nSecond.\n");
        assertEquals(List.of(new Fortunes.Fortune("topic", 0, "An over-whelming majority -- of them."),
                new Fortunes.Fortune("topic", 1, "Second.")), Fortunes.read(dir, "topic"));
        assertEquals(List.of("topic"), Fortunes.topics(dir));
    }

    @Test
    void textKeysIgnoreCaseAndPunctuation() {
        assertEquals(Texts.key("Hello, World!"), Texts.key("hello world"));
        assertTrue(Texts.looksEnglish("This is the sort of text that we would like to keep in the corpus."));
        assertFalse(Texts.looksEnglish("Olá Trabalho divulgando empresas sérias e competentes que podem lhe"
                + " oferecer excelentes oportunidades"));
        assertEquals("a b", Texts.clean(" a\u00a0\t b\u200b "));
    }
}
