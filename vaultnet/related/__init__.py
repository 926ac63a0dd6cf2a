"""Related notes: a hybrid of link-graph, text, tag, people and folder signals over a `Corpus`
(pure), the corpus kept current and saved between runs, and the related-notes pages."""
