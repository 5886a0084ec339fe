#!/usr/bin/env python3
"""readability.py -- every patient-facing text of a rule pack reads at
Flesch-Kincaid grade 8 or below.

Usage: readability.py [--max GRADE] [--worst N] PACK...
       readability.py --self-test

Patient-facing texts are the pack's title, disclaimer, notice, safety net
and how to get help, and every question text, why, option label, red-flag
message, disposition label and advice, rung label and advice, section
title and body, and rule note. A text given per audience is read for the
"patient" audience; a plain string is read by everyone. Nurse texts are
not checked (they are written for staff).

Grade (Flesch-Kincaid):
    0.39 * words / sentences + 11.8 * syllables / words - 15.59

- Sentences end at '.', '!' or '?' followed by a space or the end of the
  text (so "100.4" does not end one); a text without such an ending, such
  as an option label, is one sentence.
- Words are runs of letters, digits and apostrophes; a hyphenated word
  ("long-term") is one word whose syllables are those of its parts.
- Syllables (a heuristic; no dictionary):
  * a word in capitals of 2 to 5 letters (MRI, UK) is read letter by
    letter: one syllable a letter, three for W;
  * a number ("38", "100.4") is one word of one syllable a digit, at
    most three ("911" is 3, "38" 2);
  * otherwise: the groups of vowels (a, e, i, o, u, y) in the word, less
    one for a silent ending when the word has more than one group: a final
    'e' (not 'le' after a consonant, as in "table"), '-ed' not after 't'
    or 'd' ("walked" 1, "wanted" 2), '-es' not after s, x, z, ch, sh, ce
    or ge ("makes" 1, "boxes" 2); at least one syllable a word.
- Fragments of fewer than 10 words ("Not at all", "Physical therapy")
  have no meaningful grade alone (one long word scores above grade 20),
  so they are graded together: all of a pack's short texts, each as a
  sentence, form one passage that must read at grade 8 or below too.

Prints each text above the limit with its JSON path and grade, then the
worst texts (--worst, default 3) with their grades; exits 1 when a text
or the passage of short texts is above --max (default 8), 0 otherwise,
64 on bad usage, 65 on a file that is not a pack.
"""
import json
import re
import sys

MIN_WORDS = 10

VOWELS = re.compile(r"[aeiouy]+")
WORD = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z0-9'\u2019]+(?:-[A-Za-z0-9'\u2019]+)*")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def syllables_of_part(part):
    if re.fullmatch(r"[\d.,]+", part):
        return min(sum(c.isdigit() for c in part), 3)
    letters = re.sub(r"[^A-Za-z]", "", part)
    if not letters:
        return 1
    if letters.isupper() and 2 <= len(letters) <= 5:
        return sum(3 if c == "W" else 1 for c in letters)
    w = letters.lower()
    n = len(VOWELS.findall(w))
    if n > 1:
        if w.endswith("e") and not w.endswith(("ee", "ye")) and not (
                w.endswith("le") and len(w) > 2 and w[-3] not in "aeiouy"):
            n -= 1
        elif w.endswith("ed") and len(w) > 2 and w[-3] not in "td":
            n -= 1
        elif w.endswith("es") and not w.endswith(
                ("ses", "xes", "zes", "ches", "shes", "ces", "ges")):
            n -= 1
    return max(n, 1)


def syllables(word):
    return sum(syllables_of_part(p) for p in word.split("-") if p)


def counts(text):
    """(sentences, words, syllables) of text."""
    words = WORD.findall(text)
    sentences = len(SENTENCE_END.findall(text.strip()))
    if not SENTENCE_END.search(text.strip()[-1:] + " "):
        sentences += 1  # a fragment, or a last sentence without a stop
    return max(sentences, 1), len(words), sum(syllables(w) for w in words)


def grade_of(sentences, words, syl):
    if words == 0:
        return 0.0
    return 0.39 * words / sentences + 11.8 * syl / words - 15.59


def grade(text):
    return grade_of(*counts(text))


def patient_texts(pack):
    """(path, text) of every patient-facing text, in file order."""
    audiences = pack.get("audiences", ["patient"])
    out = []

    def add(path, t):
        if isinstance(t, str):
            out.append((path, t))
        elif isinstance(t, dict) and "patient" in audiences and "patient" in t:
            out.append((path + "/patient", t["patient"]))

    for key in ("title", "disclaimer", "notice", "safety_net", "get_help"):
        if key in pack:
            add("/" + key, pack[key])
    lists = {
        "questions": ("text", "why"),
        "red_flags": ("message",),
        "dispositions": ("label", "advice"),
        "ladder": ("label", "advice"),
        "sections": ("title", "body"),
    }
    for name, keys in lists.items():
        for i, item in enumerate(pack.get(name, [])):
            for key in keys:
                if key in item:
                    add("/%s/%d/%s" % (name, i, key), item[key])
            for j, opt in enumerate(item.get("options", [])):
                add("/%s/%d/options/%d/label" % (name, i, j), opt["label"])
    for i, rule in enumerate(pack.get("rules", [])):
        if "note" in rule.get("then", {}):
            add("/rules/%d/then/note" % i, rule["then"]["note"])
    return out


def check(path, limit, worst):
    try:
        with open(path, encoding="utf-8") as f:
            pack = json.load(f)
        texts = patient_texts(pack)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        print("%s: not a readable pack: %s" % (path, e))
        return 65
    graded, short = [], [0, 0, 0]
    for where, text in texts:
        s, w, y = counts(text)
        if w >= MIN_WORDS:
            graded.append((grade_of(s, w, y), where, text))
        else:
            short[0] += 1  # each fragment is one sentence of the passage
            short[1] += w
            short[2] += y
    bad = [g for g in graded if g[0] > limit]
    short_grade = grade_of(*short)
    for g, where, text in bad:
        print("%s: %s: grade %.1f, above %g: %s" % (path, where, g, limit, text))
    if short_grade > limit:
        print("%s: the %d short texts read together at grade %.1f, above %g"
              % (path, short[0], short_grade, limit))
    graded.sort(key=lambda g: -g[0])
    print("%s: %d texts graded, %d short ones together at grade %.1f; worst:"
          % (path, len(graded), short[0], short_grade))
    for g, where, text in graded[:worst]:
        print("  %.1f  %s: %s" % (g, where, text[:70] + ("..." if len(text) > 70 else "")))
    print("%s: %d above grade %g" % (path, len(bad) + (short_grade > limit), limit))
    return 1 if bad or short_grade > limit else 0


def self_test():
    expect = {"cat": 1, "table": 2, "walked": 1, "wanted": 2, "makes": 1,
              "boxes": 2, "the": 1, "free": 1, "readability": 5,
              "long-term": 2, "MRI": 3, "UK": 2, "911": 3, "38": 2,
              "don't": 1, "surgery": 3, "emergency": 4, "people": 2}
    wrong = {w: (syllables(w), n) for w, n in expect.items() if syllables(w) != n}
    for w, (got, want) in wrong.items():
        print("syllables(%r) = %d, expected %d" % (w, got, want))
    s = counts("Call now. Do not wait! Is it 100.4 or more?")
    if s != (3, 10, 12):
        print("counts: %r, expected (3, 10, 12)" % (s,))
        return 1
    easy = grade("The cat sat on the mat. It was a good day.")
    hard = grade("Comprehensive multidisciplinary evaluation necessitates "
                 "individualised consideration of radiological investigations.")
    if not easy < 2 < 12 < hard:
        print("grades: easy %.1f, hard %.1f" % (easy, hard))
        return 1
    print("self-test: %d words, counts and grades as expected" % len(expect)
          if not wrong else "self-test failed")
    return 1 if wrong else 0


def main(argv):
    limit, worst, packs = 8.0, 3, []
    args = iter(argv)
    for a in args:
        if a == "--self-test":
            return self_test()
        if a in ("--max", "--worst"):
            v = next(args, None)
            try:
                if a == "--max":
                    limit = float(v)
                else:
                    worst = int(v)
            except (TypeError, ValueError):
                print("readability.py: %s needs a number" % a)
                return 64
        elif a.startswith("-"):
            print("usage: readability.py [--max GRADE] [--worst N] PACK... | --self-test")
            return 64
        else:
            packs.append(a)
    if not packs:
        print("usage: readability.py [--max GRADE] [--worst N] PACK... | --self-test")
        return 64
    return max(check(p, limit, worst) for p in packs)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
