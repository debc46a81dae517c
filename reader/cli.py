"""The command line: a thin layer over ``reader.library``.

Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from reader.core.episode import HIGHLIGHT_COLOURS
from reader.core.query_help import QUERY_HELP
from reader.core.tags import hashtags
from reader.core.timing import parse_stamp, stamp
from reader.files import default_data_dir
from reader.library import DatabaseUnusable, Library, LibraryError
from reader.library.notebook import GROUPINGS, KINDS, Filter, Notebook, counted
from reader.library.tagging import checked


def _version() -> str:
    try:
        return version("transcript-reader")
    except PackageNotFoundError:
        return "unknown"


class _AppendText(argparse.Action):
    """Appends the option's text; argparse hands over ``--add-takeaway=--`` as an empty
    list (it drops every "--"), so that one comes back as the text it was."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        text = values if isinstance(values, str) else "--"
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest) or []), text])


def _data_dir(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("give a folder (an empty --data-dir would be the current folder)")
    return Path(text)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("give 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="transcript-reader",
        description="Read, search and annotate podcast transcripts kept as markdown notes. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--data-dir", type=_data_dir, help="where the library lives "
                        "(default: the platform's user data folder)")
    parser.add_argument("--samples", action="store_true",
                        help="a new library starts with the five bundled sample episodes (the window "
                        "adds them by itself to a new library in the default data folder)")
    parser.add_argument("--library", metavar="URL", type=_library_url,
                        help="a team library on PostgreSQL (postgresql+psycopg://user@host/db, or "
                        "postgresql+psycopg:///?service=NAME); the data folder then keeps this "
                        "client's search index of it")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("import", help="import note files or folders")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="note files (.md, .markdown, .txt) or folders, read recursively")

    p = commands.add_parser("list", help="list the episodes")
    p.add_argument("--json", action="store_true",
                   help="one JSON array: id, title, show, words, annotated, source")

    p = commands.add_parser("show", help="print an episode's note as it would export")
    p.add_argument("id", metavar="ID", help="the episode's Video ID (or the h-… id list shows)")
    p.add_argument("--file-version", action="store_true",
                   help="print the file versions whose annotations lost to the library's")
    p.add_argument("--json", action="store_true",
                   help="the episode's annotations as data (notes, takeaways, related, highlights)")

    p = commands.add_parser("attach", help="time an episode's words from its subtitle file")
    p.add_argument("id", metavar="ID", help="the episode's Video ID (or the h-… id list shows)")
    p.add_argument("file", type=Path, metavar="FILE",
                   help="YouTube/yt-dlp subtitles: .vtt (auto-captions too), .srt or .json3")

    p = commands.add_parser("duration", help="give an episode's real length, which estimated times "
                            "are spread over")
    p.add_argument("id", metavar="ID", help="the episode's Video ID")
    p.add_argument("length", metavar="LENGTH", help="h:mm:ss, m:ss or seconds; 'unknown' to forget it")

    p = commands.add_parser("annotate", help="set notes, add takeaways or related links")
    p.add_argument("id", metavar="ID", help="the episode's Video ID")
    notes = p.add_mutually_exclusive_group()
    notes.add_argument("--notes", metavar="TEXT", help="replace the Notes")
    notes.add_argument("--notes-file", type=Path, metavar="F", help="replace the Notes with a file's text")
    p.add_argument("--add-takeaway", action=_AppendText, default=[], metavar="TEXT",
                   help="add a Key Takeaway (repeatable)")
    p.add_argument("--add-related", action=_AppendText, default=[], metavar="ID_OR_TEXT",
                   help="link another episode (Video ID or exact title), or add text or a URL (repeatable)")

    p = commands.add_parser("export", help="write annotated notes")
    p.add_argument("out_dir", nargs="?", type=Path, metavar="OUT_DIR",
                   help="the folder to write the notes into (made if need be)")
    p.add_argument("--episode", action="append", metavar="ID", help="only this episode (repeatable)")
    p.add_argument("--front-matter", action="store_true", help="add YAML front matter")
    p.add_argument("--write-back", action="store_true", help="write onto the source files")
    p.add_argument("--force", action="store_true",
                   help="with --write-back: overwrite files changed on disk (a backup is kept)")

    p = commands.add_parser("search", help="search every episode (syntax: transcript-reader help search)")
    p.add_argument("query", metavar="QUERY", help="words, \"a phrase\", OR, NOT, prefix*, fuzzy~, title:…")
    p.add_argument("--limit", type=_positive, default=20, help="at most this many episodes (default 20)")
    p.add_argument("--json", action="store_true",
                   help="one JSON object: query, total, results with id, title, score, snippets, ranges")

    p = commands.add_parser("notebook", help="every highlight, takeaway and Notes paragraph, filtered")
    p.add_argument("--tag", action="append", default=[], metavar="T",
                   help="items carrying this tag, their own or their episode's (repeatable: all of them)")
    p.add_argument("--colour", "--color", action="append", default=[], metavar="C",
                   choices=HIGHLIGHT_COLOURS, help=f"highlights of this colour ({', '.join(HIGHLIGHT_COLOURS)}; "
                   "repeatable: any of them)")
    p.add_argument("--episode", action="append", default=[], metavar="ID",
                   help="items of this episode (repeatable: any of them)")
    p.add_argument("--kind", action="append", default=[], choices=KINDS,
                   help="only highlights, takeaways or notes (repeatable)")
    p.add_argument("--since", type=_day, metavar="DATE", help="made or changed on or after this day (YYYY-MM-DD)")
    p.add_argument("--until", type=_day, metavar="DATE", help="made or changed on or before this day")
    p.add_argument("--orphaned", action="store_true", help="only highlights whose words left the transcript")
    p.add_argument("--query", default="", metavar="Q",
                   help="words in the item (as search finds them: modellen finds model), \"a phrase\", "
                   "prefix*, -word")
    p.add_argument("--group", choices=GROUPINGS, default="episode", help="with --markdown: headings by this")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="one JSON object: filter, total, items")
    shown.add_argument("--markdown", action="store_true",
                       help="one note for the vault: quotes, comments, tags, episode wikilinks, moments")

    p = commands.add_parser("tag", help="tag an episode or its highlights")
    p.add_argument("id", metavar="ID", help="the episode's Video ID")
    p.add_argument("--highlight", action="append", type=int, default=[], metavar="N",
                   help="this highlight (its id in show --json; repeatable) instead of the episode")
    p.add_argument("--add", action="append", default=[], metavar="T", help="add this tag (repeatable)")
    p.add_argument("--remove", action="append", default=[], metavar="T", help="remove this tag (repeatable)")

    p = commands.add_parser("terms", help="the glossary: names and how the transcripts spell them")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    v = verbs.add_parser("list", help="list the glossary")
    v.add_argument("--json", action="store_true", help="one JSON array: canonical, variants")
    v = verbs.add_parser("add", help="add variants to a name (the name is made if new)")
    v.add_argument("canonical", metavar="CANONICAL", help="the name as it should be spelled (DeepSeek)")
    v.add_argument("variants", nargs="*", metavar="VARIANT",
                   help="how the transcripts spell it (\"diep zek\"); case and spaces do not matter")
    v.add_argument("--json", action="store_true", help="the entry as one JSON object")
    v = verbs.add_parser("remove", help="remove a name (with its variants) or one variant")
    v.add_argument("terms", nargs="+", metavar="TERM")
    v = verbs.add_parser("suggest", help="spellings in the library that may be mishearings of TERM")
    v.add_argument("term", metavar="TERM")
    v.add_argument("--limit", type=_positive, default=10, help="at most this many (default 10)")
    v.add_argument("--json", action="store_true",
                   help="one JSON array: text, count, episodes, score, in_glossary")
    for verb_parser in verbs.choices.values():
        verb_parser.add_argument("--data-dir", type=_data_dir, default=argparse.SUPPRESS,
                                 help="where the library lives (as before the command)")
        verb_parser.add_argument("--samples", action="store_true", default=argparse.SUPPRESS,
                                 help="a new library starts with the bundled samples")

    p = commands.add_parser("remove", help="remove episodes from the library (their note files stay)")
    p.add_argument("ids", nargs="+", metavar="ID")

    p = commands.add_parser("backup", help="write a consistent copy of the library database")
    p.add_argument("out", metavar="OUT", help="a new file, or a folder to put it in (a name ending in / "
                   "is a folder, made if need be)")

    commands.add_parser("recover", help="set an unusable database aside and start a fresh one")

    p = commands.add_parser("help", help="explain a topic: search (the query syntax)")
    p.add_argument("topic", choices=["search"], metavar="TOPIC")

    p = commands.add_parser("index", help="maintain the search index")
    p.add_argument("--rebuild", action="store_true", help="rebuild it from the library")

    p = commands.add_parser("migrate-library", help="copy a local library into a new team library "
                            "(PostgreSQL), checked row for row")
    p.add_argument("--from", dest="source", type=_data_dir, required=True, metavar="DATA_DIR",
                   help="the data folder of the local library")
    p.add_argument("--to", dest="target", type=_library_url, required=True, metavar="URL",
                   help="the team library's URL (an empty database)")
    # Global options are taken after the command too (README: every command takes it).
    for sub_parser in commands.choices.values():
        sub_parser.add_argument("--data-dir", type=_data_dir, default=argparse.SUPPRESS,
                                help="where the library lives (as before the command)")
        sub_parser.add_argument("--samples", action="store_true", default=argparse.SUPPRESS,
                                help="a new library starts with the bundled samples")
        sub_parser.add_argument("--library", metavar="URL", type=_library_url,
                                default=argparse.SUPPRESS,
                                help="a team library on PostgreSQL (as before the command)")
    return parser


def _library_url(text: str) -> str:
    from reader.store.db import is_server_url

    if not is_server_url(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a PostgreSQL URL (postgresql+psycopg://user@host/database)")
    return text


def _import(library: Library, args: argparse.Namespace) -> int:
    report = library.import_paths(args.paths)
    for path, reason in report.failed:
        print(f"{path}: {reason}", file=sys.stderr)
    for path, reason in report.subtitle_problems:  # the notes were imported all the same
        print(f"{path}: subtitles not used: {reason}", file=sys.stderr)
    for episode_id in report.conflicts:
        print(f"{episode_id}: the library's annotations differ from the file's and were kept; "
              f"the file's version is saved (show {episode_id} --file-version)", file=sys.stderr)
    print(f"{len(report.imported)} imported, {len(report.updated)} updated, "
          f"{len(report.unchanged)} unchanged, {len(report.conflicts)} kept the library's "
          f"annotations, {len(report.failed)} skipped"
          + (f"; {len(report.timed)} timed from the subtitles beside them" if report.timed else "")
          + (f"; passed over: {report.passed_over_said()}" if report.passed_over else ""))
    done = len(report.imported) + len(report.updated) + len(report.unchanged) + len(report.conflicts)
    return 0 if not report.failed else 1 if done else 2


def _list(library: Library, args: argparse.Namespace) -> int:
    episodes = library.list_episodes()
    if args.json:
        rows = [{"id": e.id, "title": e.title, "show": e.show, "words": e.word_count,
                 "annotated": e.annotated, "source": e.source_path} for e in episodes]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not episodes:
        print("The library is empty. Add notes with: transcript-reader import FOLDER")
    for e in episodes:
        mark = "*" if e.annotated else " "
        print(f"{e.id:<20} {mark} {e.word_count:>6} words  {e.title}")
    return 0


def _show(library: Library, args: argparse.Namespace) -> int:
    if args.file_version:
        versions = library.superseded(args.id)
        if not versions:
            print(f"{args.id}: no file version was set aside", file=sys.stderr)
            return 1
        for when, path, text in versions:
            sys.stdout.write(f"<!-- {path} as read on {when:%Y-%m-%d %H:%M} -->\n{text}\n")
        return 0
    if args.json:
        print(json.dumps(_annotations(library, args.id), ensure_ascii=False, indent=2))
        return 0
    sys.stdout.write(library.render(args.id))
    return 0


def _annotations(library: Library, episode_id: str) -> dict[str, object]:
    episode = library.episode(episode_id)
    times = library.word_times(episode_id)
    return {
        "id": episode.id, "title": episode.title, "source": episode.source_path, "tags": episode.tags,
        "notes": episode.notes, "takeaways": episode.takeaways,
        "related": [{"text": link.text, "episode_id": link.episode_id} for link in episode.related],
        "highlights": [{"id": h.id, "start": h.start, "end": h.end, "quote": h.quote,
                        "colour": h.colour, "comment": h.comment, "tags": list(h.tags), "orphaned": h.orphan,
                        "seconds": times.seconds_at(h.start)}
                       for h in episode.highlights],
        "approximate": times.approximate,
    }


def _attach(library: Library, args: argparse.Namespace) -> int:
    times = library.attach_subtitles(args.id, args.file)
    print(f"{args.id}: timed from {args.file} ({len(times.starts):,} words, "
          f"{times.matched:.0%} of them in the subtitles, the rest between their neighbours)")
    return 0


def _duration(library: Library, args: argparse.Namespace) -> int:
    if args.length.strip().lower() == "unknown":
        seconds = None
    else:
        try:
            seconds = parse_stamp(args.length)
        except ValueError as exc:
            raise LibraryError(str(exc)) from None
    times = library.set_duration(args.id, seconds)
    if not times.approximate:
        print(f"{args.id}: length kept; its times come from its subtitles, not from the length")
    elif seconds is None:
        print(f"{args.id}: length unknown; times estimated at a speaking rate")
    else:
        print(f"{args.id}: {stamp(seconds)} long; estimated times spread over it")
    return 0


def _annotate(library: Library, args: argparse.Namespace) -> int:
    library.episode(args.id)  # fails early with a clear message
    if args.notes is not None:
        library.set_notes(args.id, args.notes)
    elif args.notes_file is not None:
        try:
            text = args.notes_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise LibraryError(f"{args.notes_file}: cannot be read ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise LibraryError(f"{args.notes_file}: is not UTF-8 text") from None
        library.set_notes(args.id, text)
    for text in args.add_takeaway:
        library.add_takeaway(args.id, text)
    for item in args.add_related:
        link = library.add_related(args.id, item)
        if link.episode_id is None and _looks_like_an_id(item):
            print(f"transcript-reader: {item.strip()} is no episode of the library (no Video ID or "
                  "title matches); kept as text", file=sys.stderr)
    view = library.episode(args.id)
    print(f"{args.id}: {len(view.notes.split())} words of notes, {len(view.takeaways)} takeaways, "
          f"{len(view.related)} related")
    return 0


def _looks_like_an_id(text: str) -> bool:
    """One word, not a link: what was meant as a Video ID rather than as text."""
    text = text.strip()
    return bool(text) and not any(c.isspace() for c in text) and "://" not in text and "." not in text


def _export(library: Library, args: argparse.Namespace) -> int:
    if args.force and not args.write_back:
        raise LibraryError("--force goes with --write-back")
    if args.write_back:
        if args.out_dir is not None:
            raise LibraryError("--write-back writes onto the source files; give no OUT_DIR")
        # Every episode read from a file of the user's (the bundled samples are not theirs).
        ids = args.episode or [e.id for e in library.list_episodes() if e.source_path and not e.sample]
        failures = 0
        for episode_id in ids:
            try:
                print(library.write_back(episode_id, force=args.force))
            except LibraryError as exc:
                print(str(exc), file=sys.stderr)
                failures += 1
        return 0 if not failures else 1 if failures < len(ids) else 2
    if args.out_dir is None:
        raise LibraryError("give an OUT_DIR, or --write-back")
    if args.out_dir.is_file():
        raise LibraryError(f"{args.out_dir} is a file; export writes notes into a folder")
    report = library.export(args.episode, args.out_dir, front_matter=args.front_matter)
    for path in report.written:
        print(path)
    for episode_id, reason in report.refused:
        print(f"{episode_id}: {reason}", file=sys.stderr)
    return 0 if not report.refused else 1 if report.written else 2


def _search(library: Library, args: argparse.Namespace) -> int:
    if not args.query.strip():
        raise LibraryError("give something to search for (transcript-reader search QUERY)")
    results = library.search(args.query, args.limit)
    if args.json:
        rows = []
        for r in results.results:
            ranges = library.hits(args.query, r.episode_id)
            times = library.word_times(r.episode_id)
            rows.append({
                "id": r.episode_id, "title": r.title, "score": round(r.score, 4),
                "snippets": [s.text for s in r.snippets], "ranges": ranges,
                # When each range is said: from subtitles, or estimated ("approximate").
                "seconds": [times.seconds_at(start) for start, _end in ranges],
                "approximate": times.approximate,
            })
        print(json.dumps({"query": args.query, "total": results.total, "results": rows,
                          "did_you_mean": list(results.did_you_mean)}, ensure_ascii=False, indent=2))
        return 0
    print(f"{results.total} episode{'s' if results.total != 1 else ''} match{'es' if results.total == 1 else ''} "
          f"{args.query!r}")
    if results.did_you_mean:
        print("did you mean: " + " or ".join(repr(q) for q in results.did_you_mean) + "?")
    for r in results.results:
        print(f"\n{r.episode_id}  {r.title}  ({r.score:.2f})")
        for snippet in r.snippets:
            print(f"    {_marked(snippet.text, snippet.ranges)}")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None


def _notebook(library: Library, args: argparse.Namespace) -> int:
    wanted = Filter(tags=tuple(checked(args.tag)), colours=tuple(args.colour), episodes=tuple(args.episode),
                    kinds=tuple(args.kind), since=args.since, until=args.until,
                    orphaned=True if args.orphaned else None, query=args.query)
    known = {e.id for e in library.list_episodes()}
    for episode_id in args.episode:
        if episode_id not in known:
            raise LibraryError(f"{episode_id}: no such episode in the library")
    items = Notebook(library.notebook(args.episode or None)).filtered(wanted)
    if args.json:
        print(json.dumps({"filter": wanted.describe(), "total": len(items),
                          "items": [i.as_json() for i in items]}, ensure_ascii=False, indent=2))
    elif args.markdown:
        title = f"Notebook: {wanted.describe()}" if wanted.describe() else "Notebook"
        sys.stdout.write(library.notebook_markdown(items, title=title, by=args.group))
    else:
        print(f"{counted(items) or 'nothing'}" + (f" ({wanted.describe()})" if wanted.describe() else ""))
        if not items:
            return 0
        for item in items:
            mark = f"{item.kind} {item.colour}" if item.colour else item.kind
            tags = f"  {hashtags(item.all_tags)}" if item.all_tags else ""
            text = " ".join(item.text.split())
            print(f"\n{item.episode_id}  [{mark}]  {text[:200]}{'…' if len(text) > 200 else ''}{tags}")
    return 0


def _tag(library: Library, args: argparse.Namespace) -> int:
    add, remove = checked(args.add), checked(args.remove)
    if not add and not remove:
        raise LibraryError("say what to do: --add TAG or --remove TAG")
    if args.highlight:
        done = library.tag_highlights([(args.id, n) for n in args.highlight], add, remove)
        for h in done:
            print(f"highlight {h.id}: {hashtags(h.tags) or 'no tags'}")
        return 0
    current = library.episode_tags(args.id)  # not the whole episode: its tags are all this needs
    kept = [t for t in current if not any(t.casefold() == r.casefold() for r in remove)]
    tags = library.set_episode_tags(args.id, [*kept, *add])
    print(f"{args.id}: {hashtags(tags) or 'no tags'}")
    return 0


def _marked(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in ranges:
        out += [text[last:start], "[", text[start:end], "]"]
        last = end
    out.append(text[last:])
    return "".join(out)


def _terms(library: Library, args: argparse.Namespace) -> int:
    if args.verb == "list":
        entries = library.glossary().entries
        if args.json:
            print(json.dumps([{"canonical": e.canonical, "variants": list(e.variants)} for e in entries],
                             ensure_ascii=False, indent=2))
        elif not entries:
            print("the glossary is empty (add a name: transcript-reader terms add NAME VARIANT...)")
        for entry in entries if not args.json else ():
            print(f"{entry.canonical}: {', '.join(entry.variants) if entry.variants else '(no variants)'}")
        return 0
    if args.verb == "add":
        entry, already = library.add_terms(args.canonical, args.variants)
        for variant in already:
            print(f"{variant!r} is already found as {entry.canonical!r} (the same letters, or a "
                  f"variant it has)", file=sys.stderr)
        if args.json:
            print(json.dumps({"canonical": entry.canonical, "variants": list(entry.variants)},
                             ensure_ascii=False, indent=2))
        else:
            print(f"{entry.canonical}: {', '.join(entry.variants) if entry.variants else '(no variants)'}")
        return 0
    if args.verb == "remove":
        removed, unknown = library.remove_terms(args.terms)
        for term in unknown:
            print(f"{term!r} is not in the glossary", file=sys.stderr)
        if removed:
            print(f"removed {', '.join(removed)}")
        return 0 if not unknown else 1 if removed else 2
    return _suggest(library, args)


def _suggest(library: Library, args: argparse.Namespace) -> int:
    suggestions = library.suggest_spellings(args.term, args.limit)
    if args.json:
        print(json.dumps([{"text": s.text, "count": s.count, "episodes": list(s.episodes),
                           "score": round(s.score, 3), "in_glossary": s.in_glossary}
                          for s in suggestions], ensure_ascii=False, indent=2))
        return 0
    if not suggestions:
        print(f"no spellings like {args.term!r} in the library")
    for s in suggestions:
        mark = "  (in the glossary)" if s.in_glossary else ""
        print(f"{s.text!r:<28} {s.count:>4}×  in {len(s.episodes)} episode"
              f"{'s' if len(s.episodes) != 1 else ''}  ({s.score:.2f}){mark}")
    return 0


def _index(library: Library, args: argparse.Namespace) -> int:
    if not args.rebuild:
        raise LibraryError("say what to do: index --rebuild")
    total = 0
    try:
        for done, total in library.rebuild_index():
            print(f"\rindexing {done}/{total}", end="", file=sys.stderr, flush=True)
    finally:
        print(file=sys.stderr)  # an error message that follows starts a line of its own
    print(f"indexed {total} episodes")
    return 0


def _window(args: argparse.Namespace, argv: list[str]) -> int:
    try:
        from reader.ui.app import run
    except ImportError as exc:
        raise LibraryError(f"the window cannot start ({exc})") from None
    return run(args.data_dir, argv, samples=args.samples, library_url=args.library)


def _remove(library: Library, args: argparse.Namespace) -> int:
    """Each ID is removed with its annotations; the note files are not touched. Unknown IDs
    are named; exit 1 if some were, 2 if none was removed."""
    known = {e.id: e for e in library.list_episodes()}
    removed = 0
    for episode_id in dict.fromkeys(args.ids):
        summary = known.get(episode_id)
        if summary is None:
            print(f"transcript-reader: {episode_id}: no such episode in the library", file=sys.stderr)
            continue
        library.delete_episode(episode_id)
        removed += 1
        kept = f"; its note stays at {summary.source_path}" if summary.source_path and not summary.sample else ""
        print(f"removed {episode_id} ({summary.title}){kept}")
    if removed == 0:
        return 2
    return 0 if removed == len(dict.fromkeys(args.ids)) else 1


def _backup(library: Library, args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.out.endswith(("/", os.sep)) and not out.exists():
        try:
            out.mkdir(parents=True)
        except OSError as exc:
            raise LibraryError(f"{out}: the folder cannot be made ({exc.strerror or exc})") from None
    if out.is_file():
        raise LibraryError(f"{out} exists; a backup never overwrites one: give a new name or a folder")
    print(library.backup(out))
    return 0


def _recover(data_dir: Path | None) -> int:
    directory = data_dir or default_data_dir()
    try:
        with Library.open(directory, import_seeds=False):
            print(f"{directory}: the database opens fine; nothing to recover")
            return 0
    except DatabaseUnusable as exc:
        kept = Library.set_aside_database(directory)
        print(f"{exc.path} was moved to {kept}; a fresh library starts on the next run")
        return 0


def _settings_library() -> str | None:
    """The team library chosen in Preferences, if any."""
    from reader.config import load_settings

    return load_settings().library_url or None


def _settings_author() -> str | None:
    from reader.config import load_settings

    return load_settings().display_name or None


def _migrate_library(args: argparse.Namespace) -> int:
    from reader.store.copying import CopyRefused, copy_library
    from reader.store.db import DB_NAME, StoreError, describe, open_engine

    database = args.source / DB_NAME
    if not database.is_file():
        raise LibraryError(f"{args.source}: no library here (no {DB_NAME})")
    try:
        source = open_engine(database)
        target = open_engine(args.target)
    except StoreError as exc:
        raise LibraryError(str(exc)) from None

    shown = []

    def progress(table: str, done: int) -> None:
        shown.append(True)
        print(f"\rcopying {table}: {done}", end="", file=sys.stderr, flush=True)

    try:
        report = copy_library(source, target, progress)
    except CopyRefused as exc:
        raise LibraryError(f"{describe(args.target)}: {exc}") from None
    finally:
        if shown:  # the message that follows starts a line of its own
            print(file=sys.stderr)
        source.dispose()
        target.dispose()
    print(f"copied {database} to {describe(args.target)}: {report.summary()}; "
          "every row checked against the original")
    return 0


COMMANDS = {
    "import": _import, "list": _list, "show": _show, "annotate": _annotate,
    "export": _export, "attach": _attach, "duration": _duration, "search": _search, "terms": _terms, "index": _index,
    "backup": _backup, "remove": _remove, "notebook": _notebook, "tag": _tag,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return _window(args, argv)
        if args.command == "recover":
            return _recover(args.data_dir)
        if args.command == "help":
            sys.stdout.write(QUERY_HELP)
            return 0
        if args.command == "migrate-library":
            return _migrate_library(args)
        url = args.library or _settings_library()
        with Library.open(args.data_dir, import_seeds=args.samples and url is None,
                          library_url=url, author=_settings_author()) as library:
            return COMMANDS[args.command](library, args)
    except DatabaseUnusable as exc:
        print(f"transcript-reader: {exc}; it was left untouched. Keep a copy, then run "
              "'transcript-reader recover' to set it aside and start fresh", file=sys.stderr)
        return 2
    except LibraryError as exc:
        print(f"transcript-reader: {exc}", file=sys.stderr)
        return 2
    except (SQLAlchemyError, sqlite3.DatabaseError) as exc:
        if getattr(args, "library", None):
            print(f"transcript-reader: the team library could not be read ({_reason(exc)})",
                  file=sys.stderr)
            return 2
        database = (args.data_dir or default_data_dir()) / "library.sqlite3"
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"transcript-reader: {database}: the library database could not be read "
              f"({reason}); it may be damaged. Keep a copy, then try 'transcript-reader backup' "
              "or 'transcript-reader recover'", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
