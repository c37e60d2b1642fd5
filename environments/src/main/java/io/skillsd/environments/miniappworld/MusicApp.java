package io.skillsd.environments.miniappworld;

import static io.skillsd.environments.miniappworld.ApiSpec.Param.optional;
import static io.skillsd.environments.miniappworld.ApiSpec.Param.required;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.INTEGER;
import static io.skillsd.environments.miniappworld.ApiSpec.ParamType.STRING;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code music}: a song catalog, your library and your playlists. */
final class MusicApp {

  private static final String SONGS = "music.songs";
  private static final String LIBRARY = "music.library";
  private static final String PLAYLISTS = "music.playlists";
  private static final String ENTRIES = "music.playlist_songs";
  private static final String PAGE = "page to show, from 0; 5 items a page";

  private MusicApp() {}

  static App app() {
    return new App("music", "Your music: the song catalog, your library and playlists.", List.of(
        AppCatalog.login("music"),
        new ApiSpec("music", "search_songs", "Search the catalog by title or artist. Paginated.",
            List.of(required("query", STRING, "text to search for"), optional("page_index", INTEGER, PAGE)),
            true, "page of songs", c -> c.page(c.select(SONGS, r -> Call.matches(
                r.string("title") + " " + r.string("artist"), c.string("query"))))),
        new ApiSpec("music", "show_song", "Show one song.", List.of(required("song_id", INTEGER, "the song")),
            true, "song", c -> c.json(SONGS, c.row(SONGS, "song_id", "song"))),
        new ApiSpec("music", "show_library", "List the songs in your library, in the order added. Paginated.",
            List.of(optional("page_index", INTEGER, PAGE)), true, "page of songs",
            c -> c.page(c.db().rows(LIBRARY).stream().map(e -> song(c, e.integer("song_id"))).toList())),
        new ApiSpec("music", "add_to_library", "Add a song to your library.",
            List.of(required("song_id", INTEGER, "the song")), true, "message", c -> {
              Row song = c.row(SONGS, "song_id", "song");
              if (libraryEntry(c, song.id()).isPresent()) {
                throw ApiError.rejected("song " + song.id() + " is already in your library");
              }
              c.db().insert(LIBRARY, Map.of("song_id", song.id(), "added_at", c.session.now()));
              return Call.message("Added song " + song.id() + " to your library.");
            }),
        new ApiSpec("music", "remove_from_library", "Remove a song from your library.",
            List.of(required("song_id", INTEGER, "the song")), true, "message", c -> {
              long id = c.integer("song_id");
              Row entry = libraryEntry(c, id).orElseThrow(() -> ApiError.notFound("song " + id + " is not in your library"));
              c.db().delete(LIBRARY, entry.id());
              return Call.message("Removed song " + id + " from your library.");
            }),
        new ApiSpec("music", "list_playlists", "List your playlists. Paginated.",
            List.of(optional("page_index", INTEGER, PAGE)), true, "page of playlists",
            c -> c.page(c.db().rows(PLAYLISTS).stream().map(p -> c.json(PLAYLISTS, p)
                .put("song_count", entries(c, p.id()).size())).toList())),
        new ApiSpec("music", "show_playlist", "Show a playlist and a page of its songs.",
            List.of(required("playlist_id", INTEGER, "the playlist"), optional("page_index", INTEGER, PAGE)),
            true, "playlist with a page of songs", c -> {
              Row p = c.row(PLAYLISTS, "playlist_id", "playlist");
              ObjectNode page = c.page(entries(c, p.id()).stream().map(e -> song(c, e.integer("song_id"))).toList());
              ObjectNode out = c.json(PLAYLISTS, p);
              out.setAll(page);
              return out;
            }),
        new ApiSpec("music", "create_playlist", "Create an empty playlist.",
            List.of(required("name", STRING, "the playlist's name")), true, "the new playlist_id", c -> {
              if (c.string("name").isBlank()) {
                throw ApiError.rejected("name must not be empty");
              }
              Row row = c.db().insert(PLAYLISTS, Map.of("name", c.string("name").strip()));
              return Call.JSON.objectNode().put("playlist_id", row.id()).put("message", "Playlist created.");
            }),
        new ApiSpec("music", "add_song_to_playlist", "Add a song to a playlist.",
            List.of(required("playlist_id", INTEGER, "the playlist"), required("song_id", INTEGER, "the song")),
            true, "message", c -> {
              Row p = c.row(PLAYLISTS, "playlist_id", "playlist");
              Row s = c.row(SONGS, "song_id", "song");
              if (entries(c, p.id()).stream().anyMatch(e -> e.integer("song_id") == s.id())) {
                throw ApiError.rejected("song " + s.id() + " is already in playlist " + p.id());
              }
              c.db().insert(ENTRIES, Map.of("playlist_id", p.id(), "song_id", s.id()));
              return Call.message("Added song " + s.id() + " to playlist " + p.id() + ".");
            }),
        new ApiSpec("music", "remove_song_from_playlist", "Remove a song from a playlist.",
            List.of(required("playlist_id", INTEGER, "the playlist"), required("song_id", INTEGER, "the song")),
            true, "message", c -> {
              Row p = c.row(PLAYLISTS, "playlist_id", "playlist");
              long songId = c.integer("song_id");
              Row e = entries(c, p.id()).stream().filter(x -> x.integer("song_id") == songId).findFirst()
                  .orElseThrow(() -> ApiError.notFound("song " + songId + " is not in playlist " + p.id()));
              c.db().delete(ENTRIES, e.id());
              return Call.message("Removed song " + songId + " from playlist " + p.id() + ".");
            }),
        new ApiSpec("music", "delete_playlist", "Delete a playlist.",
            List.of(required("playlist_id", INTEGER, "the playlist")), true, "message", c -> {
              Row p = c.row(PLAYLISTS, "playlist_id", "playlist");
              for (Row e : entries(c, p.id())) {
                c.db().delete(ENTRIES, e.id());
              }
              c.db().delete(PLAYLISTS, p.id());
              return Call.message("Deleted playlist " + p.id() + ".");
            })));
  }

  private static ObjectNode song(Call c, long songId) {
    return c.json(SONGS, c.db().find(SONGS, songId).orElseThrow(
        () -> new IllegalStateException("dangling song id " + songId)));
  }

  private static Optional<Row> libraryEntry(Call c, long songId) {
    return c.db().rows(LIBRARY).stream().filter(e -> e.integer("song_id") == songId).findFirst();
  }

  private static List<Row> entries(Call c, long playlistId) {
    return c.db().rows(ENTRIES).stream().filter(e -> e.integer("playlist_id") == playlistId).toList();
  }
}
