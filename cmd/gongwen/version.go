package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// readBuildInfo is debug.ReadBuildInfo; tests replace it.
var readBuildInfo = debug.ReadBuildInfo

// runVersion prints the module version and the VCS revision recorded in the binary's
// build information ("go build" records them; "go run" and tests have no revision).
func runVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			printHelp(stdout, "version")
			return exitOK
		}
		fmt.Fprintln(stderr, "usage: gongwen version (it takes no arguments)")
		return exitUsage
	}
	fmt.Fprintln(stdout, versionLine())
	return exitOK
}

func versionLine() string {
	bi, ok := readBuildInfo()
	if !ok {
		return "gongwen (no build information)"
	}
	s := fmt.Sprintf("gongwen %s", bi.Main.Version)
	set := map[string]string{}
	for _, kv := range bi.Settings {
		set[kv.Key] = kv.Value
	}
	if rev := set["vcs.revision"]; rev != "" {
		s += " revision " + rev
		if t := set["vcs.time"]; t != "" {
			s += " (" + t + ")"
		}
		if set["vcs.modified"] == "true" {
			s += " with local changes"
		}
	} else {
		s += " (no VCS revision recorded)"
	}
	return s + " " + bi.GoVersion
}
