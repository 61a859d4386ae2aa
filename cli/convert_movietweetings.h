// MovieTweetings (data/movietweetings/) -> events.
//
// ratings.dat: `user::movie::rating::unix_seconds`, rating 0..10.
// movies.dat:  `movie::title (year)::genre|genre|...` (the genre list may be empty).
//
// Each rating becomes
//   {"ts": seconds*1000, "user": "<user>", "item": "<movie>" (zero-padded, as in the file),
//    "label": rating >= 8, "event_id": "mt:<user>:<movie>",
//    "features": {"item": {"genre=<G>": 1 ..., "decade=<1990s>": 1}}}
// Genres come in movies.dat order, then the decade (from the "(YYYY)" that
// ends the title). A movie missing from the catalog gets no item features.
// Events are emitted sorted by (ts, line index): stable, so deterministic.
//
// Thread safety: pure functions over the given streams.
#pragma once

#include <istream>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/convert_types.h"
#include "common/status.h"

namespace driftline {

struct MovieInfo {
  std::vector<std::string> genres;
  int year = 0;  // 0: no "(YYYY)" at the end of the title
};

// movie id (as written, zero-padded) -> info.
using MovieCatalog = std::unordered_map<std::string, MovieInfo>;

// Reads movies.dat. `name` labels errors ("movies.dat:7: ..."). Malformed
// lines follow options.skip_bad_lines (counted into *stats).
Result<MovieCatalog> ReadMovieCatalog(std::istream& in, const std::string& name,
                                      const ConvertOptions& options, ConvertStats* stats);

// Reads ratings.dat, sorts by (ts, line index) and hands each event to `sink`.
// Errors: "NAME:LINE: ..." for a malformed line (unless skipping), and
// InvalidArgument "NAME: no ratings found" when nothing was converted.
Status ConvertMovieTweetings(std::istream& ratings, const std::string& name,
                             const MovieCatalog& movies, const ConvertOptions& options,
                             const EventSink& sink, ConvertStats* stats);

}  // namespace driftline
