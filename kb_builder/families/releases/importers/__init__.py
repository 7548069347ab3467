"""``kb import``: release notes kept in reno, towncrier or Keep a Changelog, as change files.

One module per format reads its input into `writer.Note` and `writer.ReleaseInfo` values and
reports what it cannot map; `writer` turns them into change and release files, validated by the
same loader as the site, and never overwrites a file.
"""
