// Package docstest reads the repository's Markdown documents (docs/*.md,
// README.md) for the tests that hold them to the code: a document's
// example must decode, its table must list every flag, its figures must be
// the screen's. It finds a section by its heading, the fenced blocks in
// it and the rows of its tables, and fails the test naming the page and
// what it lacks, so a test fails when the document drifts rather than
// checking nothing.
//
// Its own tests also hold the module's package doc comments, what go doc
// shows a newcomer first, to the files they name.
package docstest
