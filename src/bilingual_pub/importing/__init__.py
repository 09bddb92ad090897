"""An existing translation -> blocks -> aligned with a text's segments -> its catalog.

``reading`` turns the translation file (Markdown, plain text, .docx, .odt) into
blocks the way the toolkit segments texts; ``scoring`` prices a match (length
model plus anchors); ``aligner`` finds the cheapest sequence of matches;
``apply`` writes them into the catalog under the never-overwrite rules;
``report`` says what happened; ``run`` ties the stages to a project on disk.
"""
