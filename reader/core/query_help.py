"""What a search query can say, for ``transcript-reader help search`` and the Search tab's "?".

Every example finds something in the bundled samples.
"""

QUERY_HELP = """\
Searching every episode

  modellen              every word must match; Dutch word forms count as one
                        (modellen also finds model)
  chips europa          both words, anywhere in the same episode
  "open source"         the words together, in this order
  openai OR anthropic   either word
  model NOT taal        model, in episodes without taal
  taal*                 words that start with taal (taalmodel, taalmodellen, …): at least
                        two letters before the *
  inteligentie~         words spelled nearly so (one or two letters off)
  title:grok            only in the title; also notes:, takeaways:, comment: (a highlight's
                        comment)
  (deepseek OR openai) chips
                        brackets group, as in arithmetic

Upper and lower case do not matter, nor do accents. Anything that is not sensible syntax is
searched as plain words, so a query never fails. Find in one episode (Ctrl+F) takes the words
as a phrase and matches word forms the same way.
"""
