// Replaces FerretDB 1.24.2's internal/util/resource/resource.go when
// scripts/stack.sh builds FerretDB. The original tracks every
// iterator for leak detection: it adds each to a pprof profile, which takes a
// stack trace, and sets a finalizer that panics if one was never closed. Under
// a find-heavy load (customer history, ~30 documents per request) that was a
// quarter of FerretDB's CPU, for a check meant for FerretDB's own tests. Here
// tracking does nothing; the API is the same.

// Package resource provides utilities for tracking resource lifetimes.
package resource

// Token should be a field of a tracked object.
//
// The underlying type is not struct{} because (from the Go spec)
// "Two distinct zero-size variables may have the same address in memory".
type Token byte

// NewToken returns a new Token.
func NewToken() *Token {
	return new(Token)
}

// Track would track the lifetime of an object until Untrack is called on it; it does nothing.
func Track(obj any, token *Token) {}

// Untrack would stop tracking the lifetime of an object; it does nothing.
func Untrack(obj any, token *Token) {}
