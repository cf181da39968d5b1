"""Every field of the text analysis for a broad input set, to check that a change keeps the
results identical: run ``dump`` once per version of the code, then ``compare``.

Usage:
  PYTHONPATH=<src of version A> python bench/text_identical.py dump a.pkl
  PYTHONPATH=<src of version B> python bench/text_identical.py dump b.pkl
  python bench/text_identical.py compare a.pkl b.pkl

Inputs: the throughput bench's 4,000 hotel reviews, 600 training reviews, 500 generated
comments, 2,500 generated fragments (contrasts, subjects after commas and "y", accents, other
scripts, ligatures, emoji, HTML, mojibake, line breaks, letters that ``re.I`` equates with
ASCII ones), 400 English review sentences, 400 restaurant sentences, 500 tweets and odd inputs.
Each is analysed with a trained and a cold-start analyser in batches of 500 and 37 (and one
by one for the smaller sets); the Document fields, split_sentences, tokenize and key phrases
in three languages are kept too, and the trained model's bytes are compared.
"""

from __future__ import annotations

import hashlib
import pickle
import random
import sys
from dataclasses import asdict
from typing import Any

_WORDS = (
    "la comida el servicio los camareros las vistas lo mejor su precio sus platos mi hijo "
    "the food their staff my room our trip your app its price muy buena rica lenta caro "
    "barato amable sucio limpio pero aunque sin embargo no obstante mientras que mientras "
    "en cambio a pesar de pese a but although however though whereas while yet porém Pero "
    "AUNQUE But y Y and AND , , , ; : ( ) . ! ? ¿ ¡ … 3 20 1,5 100€ http://x.es/a?b=1 "
    "www.hotel.com niño año café ñandú São Ωmega Привет 你好 مرحبا ﬁno ı ſ İstanbul K Å "
    "😀 👍🏽 instalaciÃ³n Ã± <b>bold</b> &amp; &lt; \n \t -- _x_ don't it's ½ ™ ¿. ！ ？ ；"
).split(" ")
_ODD = [
    "",
    " ",
    None,
    b"bytes con acentos \xc3\xa1",
    b"\xff\xfe bad",
    ".",
    "...",
    "!!!",
    ",,,",
    "¿?",
    "😀😀😀",
    "👍",
    "instalaciÃ³n rÃ¡pida, pero cara",
    "La comida, pero",
    "pero",
    "Pero, aunque.",
    "Aunque tardó, la comida estaba rica",
    "Aunque tardó, ",
    "aunque tardó,x",
    "Buena comida pero lenta. ¿Volveré?",
    "Sin embargo el servicio fue malo, y el precio alto",
    "The food was great but the service was slow, and the room dirty although cheap",
    "Although late, the food was good",
    "(muy (buen) servicio), pero [caro] {sí}",
    "Precio: 100€, 3 noches, 2 personas; pero 4,5 estrellas",
    "Visita http://example.com/a,b?c=d y www.x.es, pero mal",
    "ı la comida, el servicıo lento y la cama",
    "ſin embargo la comida",
    "İyi, la comida y el servicio",
    "K la, el y la",
    "Ωmega, la comida pero ΣΑΣ. ΑΣ. Σ",
    "…pero… y la comida… el servicio",
    "¿. Ok pero no. Hola… bien, y el precio.",
    "línea uno, la cama\nlínea dos pero no\r\n y el",
    "a\x85b, la cama\u2028 y el\u2029 pero",
    "x,\u00a0la cama y\u3000el precio",
    "Привет, как дела, но плохо",
    "你好，很好，但是贵",
    "مرحبا، جيد لكن غالي",
    "ＦＵＬＬ，ｗｉｄｔｈ　ｐｅｒｏ",
    "e\u0301 la comida, el servicio",
    "ﬁno, la ﬂor pero el ﬀ",
    "1 2 3, 4 y 5",
    "_, la _ y el _",
    "don't, the food but it's fine",
    "MAYÚSCULAS, LA COMIDA Y EL SERVICIO PERO CARO",
    "Aunque caro; aunque lento, y el precio, la cama pero el baño",
    "si bien es caro, la comida rica",
    "mientras que el hotel, la playa",
    "a pesar de todo, el personal",
    "pese a ello, la cama",
    "no obstante, la cena",
    "en cambio el desayuno",
    "whereas the bed, the pool",
    "yet the pool, our room and my bed",
]


def inputs() -> tuple[dict[str, list[Any]], list[str], list[str]]:
    """(input sets by name, training texts, training labels)."""
    # _textdata puts this checkout's src first on sys.path: imported after pulso (see dump),
    # so that PYTHONPATH chooses the version under test.
    from _textdata import (
        GENERATED_PARTS,
        hotel_reviews,
        restaurant_sentences,
        review_sentences,
        star_label,
        tweets,
    )

    rows = hotel_reviews()
    random.Random(0).shuffle(rows)
    texts = [f"{r['title']}. {r['text']}" for r in rows]
    labels = [star_label(int(r["stars"])) for r in rows]
    rng = random.Random(0)
    fragments = []
    for _ in range(2500):
        fragment = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 40)))
        if rng.random() < 0.3:
            fragment = fragment.replace(" ,", ",")
        if rng.random() < 0.2:
            fragment = fragment.capitalize()
        fragments.append(fragment)
    long = texts[8000] * 80
    sets: dict[str, list[Any]] = {
        "bench_4000": texts[8000:12000],
        "train_reviews": texts[:600],
        "generated": [". ".join(rng.sample(GENERATED_PARTS, 7)) + "." for _ in range(500)],
        "fragments": fragments,
        "en_sentences": [r["text"] for r in review_sentences()[:400]],
        "restaurant": [r["text"] for r in restaurant_sentences()[:400]],
        "tweets": [r["text"] for r in tweets()[:500]],
        "odd": [*_ODD, long, long[:25000]],
    }
    return sets, texts[:3000], labels[:3000]


def dump(path: str) -> None:
    from pulso.textanalytics.engine import normalize
    from pulso.textanalytics.engine.keyphrases import key_phrases
    from pulso.textanalytics.engine.pipeline import Analyzer
    from pulso.textanalytics.engine.sentiment import SentimentModel

    print("code:", normalize.__file__)
    sets, train_x, train_y = inputs()
    blob = SentimentModel.train(train_x, train_y, "es", validation_fraction=0).to_bytes()
    result: dict[Any, Any] = {"model": hashlib.sha256(blob).hexdigest()}
    analyzers = {"trained": Analyzer(models={"es": SentimentModel.from_bytes(blob)})}
    analyzers["cold"] = Analyzer()

    def document(text: str) -> tuple[Any, ...]:
        doc = normalize.Document(text)
        return (
            doc.sentences,
            doc.marks,
            doc.tokens,
            doc.token_sentence,
            doc.stems("es"),
            doc.stems("en"),
            normalize.split_sentences(text),
            normalize.tokenize(text),
        )

    for name, texts in sets.items():
        for kind, analyzer in analyzers.items():
            for size in (500, 37):
                rows = []
                for start in range(0, len(texts), size):
                    rows += [asdict(r) for r in analyzer.analyze_many(texts[start : start + size])]
                result[name, kind, size] = rows
            if len(texts) <= 700:
                result[name, kind, 1] = [asdict(analyzer.analyze(t)) for t in texts]
        cleaned = [normalize.clean_text(t) for t in texts]
        result[name, "document"] = [document(t) for t in cleaned]
        raw = [t for t in texts if isinstance(t, str) and len(t) < 30_000]
        result[name, "document_raw"] = [document(t) for t in raw]
        result[name, "key_phrases"] = [
            [key_phrases(t, language) for language in ("es", "en", "pt")] for t in cleaned
        ]
    with open(path, "wb") as handle:
        pickle.dump(result, handle)
    print(f"{len(result) - 1} result lists written to {path}")


def compare(path_a: str, path_b: str) -> int:
    with open(path_a, "rb") as handle:
        a = pickle.load(handle)
    with open(path_b, "rb") as handle:
        b = pickle.load(handle)
    assert a.keys() == b.keys(), "the dumps hold different lists"
    inputs_seen = fields = differences = 0
    if a["model"] != b["model"]:
        differences += 1
        print("DIFF trained model bytes")
    for key in a.keys() - {"model"}:
        assert len(a[key]) == len(b[key]), key
        for row_a, row_b in zip(a[key], b[key], strict=True):
            inputs_seen += 1
            names = list(row_a) if isinstance(row_a, dict) else range(len(row_a))
            for field in names:
                fields += 1
                if repr(row_a[field]) != repr(row_b[field]):  # floats compared exactly
                    differences += 1
                    print("DIFF", key, field, repr(row_a[field])[:200], repr(row_b[field])[:200])
    model = "equal" if a["model"] == b["model"] else "differ"
    print(
        f"{len(a) - 1} result lists, {inputs_seen} inputs, {fields} fields compared, "
        f"{differences} differences (trained model bytes {model})"
    )
    return 1 if differences else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["dump"]:
        dump(sys.argv[2])
    elif sys.argv[1:2] == ["compare"]:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
