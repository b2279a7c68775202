<?php
/**
 * Plugin Name:       Charla Chat
 * Description:       Live chat with your visitors: adds the Charla chat widget to every public page. Set it up in Settings → Charla Chat.
 * Version:           0.1.1
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            Charla contributors
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       charla-chat
 *
 * What it prints on the public pages, once, before </body>:
 *   <script data-workspace="ID" data-cfasync="false" src="EDGE/loader.js" id="charla-chat-js" async data-wp-strategy="async"></script>
 * Nothing is loaded in wp-admin, on the login page, or while the settings are incomplete.
 *
 * @package CharlaChat
 */

defined( 'ABSPATH' ) || exit;

const CHARLA_CHAT_OPTION = 'charla_chat';
const CHARLA_CHAT_HANDLE = 'charla-chat';
const CHARLA_CHAT_PAGE   = 'charla-chat';

/**
 * The plugin's own translations (languages/, Spanish included). WordPress 6.1+ also finds them
 * by itself once translate.wordpress.org has the plugin; until then they ship here.
 */
function charla_chat_load_textdomain() {
	load_plugin_textdomain( 'charla-chat', false, dirname( plugin_basename( __FILE__ ) ) . '/languages' );
}
add_action( 'init', 'charla_chat_load_textdomain' );

/**
 * The saved settings, always with both keys.
 *
 * @return array{edge_url: string, workspace: string}
 */
function charla_chat_settings() {
	$saved = get_option( CHARLA_CHAT_OPTION, array() );
	$saved = is_array( $saved ) ? $saved : array();
	return array(
		'edge_url'  => isset( $saved['edge_url'] ) && is_string( $saved['edge_url'] ) ? $saved['edge_url'] : '',
		'workspace' => isset( $saved['workspace'] ) && is_string( $saved['workspace'] ) ? $saved['workspace'] : '',
	);
}

/**
 * The edge's origin (scheme, host, port) from what the site owner typed, or '' if it is not one.
 * https only, except http for localhost while developing. A pasted ".../loader.js" is accepted.
 *
 * @param mixed $value Raw input.
 * @return string
 */
function charla_chat_clean_edge_url( $value ) {
	$raw = trim( is_string( $value ) ? $value : '' );
	if ( '' === $raw ) {
		return '';
	}
	if ( ! preg_match( '#^[a-z][a-z0-9+.-]*://#i', $raw ) ) {
		$raw = 'https://' . $raw;
	}
	// esc_url_raw lowercases the scheme: do it first, so "Https://…" compares equal below.
	$raw = preg_replace_callback(
		'#^[a-z][a-z0-9+.-]*(?=://)#i',
		function ( $m ) {
			return strtolower( $m[0] );
		},
		$raw
	);
	$url = esc_url_raw( $raw, array( 'https', 'http' ) );
	if ( '' === $url || $url !== $raw ) {
		return ''; // esc_url_raw had to drop characters: not a plain URL.
	}
	$parts = wp_parse_url( $url );
	if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] )
		|| isset( $parts['user'] ) || isset( $parts['pass'] ) || isset( $parts['query'] ) || isset( $parts['fragment'] ) ) {
		return '';
	}
	$path = isset( $parts['path'] ) ? $parts['path'] : '';
	if ( ! in_array( $path, array( '', '/', '/loader.js' ), true ) ) {
		return '';
	}
	$scheme = strtolower( $parts['scheme'] );
	$host   = strtolower( $parts['host'] );
	if ( ! preg_match( '/^[a-z0-9.-]+$/', $host ) ) {
		return '';
	}
	if ( 'http' === $scheme && ! in_array( $host, array( 'localhost', '127.0.0.1' ), true ) ) {
		return '';
	}
	return $scheme . '://' . $host . ( isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '' );
}

/**
 * A workspace id as the edge accepts it (1–64 of a–z, 0–9, "_" and "-"), or ''.
 *
 * @param mixed $value Raw input.
 * @return string
 */
function charla_chat_clean_workspace( $value ) {
	$id = trim( sanitize_text_field( is_string( $value ) ? $value : '' ) );
	return 1 === preg_match( '/^[a-z0-9_-]{1,64}$/', $id ) ? $id : '';
}

/**
 * Settings API sanitize callback. An empty field switches the widget off; an invalid one keeps
 * the previous value and shows an error.
 *
 * @param mixed $input Submitted option value.
 * @return array{edge_url: string, workspace: string}
 */
function charla_chat_sanitize( $input ) {
	$input = is_array( $input ) ? $input : array();
	$out   = charla_chat_settings();
	$given = array(
		'edge_url'  => isset( $input['edge_url'] ) && is_string( $input['edge_url'] ) ? trim( $input['edge_url'] ) : '',
		'workspace' => isset( $input['workspace'] ) && is_string( $input['workspace'] ) ? trim( $input['workspace'] ) : '',
	);

	$edge = charla_chat_clean_edge_url( $given['edge_url'] );
	if ( '' === $given['edge_url'] || '' !== $edge ) {
		$out['edge_url'] = $edge;
	} else {
		charla_chat_error( 'edge_url', __( 'The edge URL must be an https:// address such as https://charla.example.workers.dev (no path). It was not changed.', 'charla-chat' ) );
	}

	$workspace = charla_chat_clean_workspace( $given['workspace'] );
	if ( '' === $given['workspace'] || '' !== $workspace ) {
		$out['workspace'] = $workspace;
	} else {
		charla_chat_error( 'workspace', __( 'The workspace id may only contain lowercase letters, digits, "-" and "_" (at most 64). It was not changed.', 'charla-chat' ) );
	}
	return $out;
}

/**
 * A settings error, when the Settings API is loaded (the option may also be saved by code).
 *
 * @param string $field   Field key.
 * @param string $message Translated message.
 */
function charla_chat_error( $field, $message ) {
	if ( function_exists( 'add_settings_error' ) ) {
		add_settings_error( CHARLA_CHAT_OPTION, 'charla_chat_' . $field, $message, 'error' );
	}
}

/* ---------------------------------------------------------------- public pages */

/**
 * Enqueues the loader in the footer with async (WordPress 6.3+ loading strategies). The stored
 * values are validated again here: the option can be written by other code than our form.
 */
function charla_chat_enqueue() {
	if ( is_admin() || ! apply_filters( 'charla_chat_enabled', true ) ) {
		return;
	}
	$settings = charla_chat_settings();
	$edge     = charla_chat_clean_edge_url( $settings['edge_url'] );
	if ( '' === $edge || '' === charla_chat_clean_workspace( $settings['workspace'] ) ) {
		return;
	}
	wp_enqueue_script(
		CHARLA_CHAT_HANDLE,
		$edge . '/loader.js',
		array(),
		null, // No "?ver=": the edge sets its own caching.
		array(
			'in_footer' => true,
			'strategy'  => 'async',
		)
	);
}
add_action( 'wp_enqueue_scripts', 'charla_chat_enqueue' );

/**
 * Adds the workspace to our script tag (WordPress has no API for data attributes on enqueued
 * scripts), tells Cloudflare Rocket Loader to leave it alone, and adds async where WordPress is
 * older than 6.3 and ignored the strategy.
 *
 * @param string $tag    The script tag(s) WordPress built.
 * @param string $handle Script handle.
 * @return string
 */
function charla_chat_script_tag( $tag, $handle ) {
	if ( CHARLA_CHAT_HANDLE !== $handle ) {
		return $tag;
	}
	$workspace = charla_chat_clean_workspace( charla_chat_settings()['workspace'] );
	$at        = strpos( $tag, '<script' );
	if ( '' === $workspace || false === $at ) {
		return $tag;
	}
	$attrs = ' data-workspace="' . esc_attr( $workspace ) . '" data-cfasync="false"';
	if ( ! preg_match( '/\sasync[\s>=]/', $tag ) ) {
		$attrs .= ' async';
	}
	return substr_replace( $tag, '<script' . $attrs, $at, strlen( '<script' ) );
}
add_filter( 'script_loader_tag', 'charla_chat_script_tag', 10, 2 );

/* ---------------------------------------------------------------- wp-admin */

/** Settings → Charla Chat. */
function charla_chat_admin_menu() {
	add_options_page(
		__( 'Charla Chat', 'charla-chat' ),
		__( 'Charla Chat', 'charla-chat' ),
		'manage_options',
		CHARLA_CHAT_PAGE,
		'charla_chat_render_settings_page'
	);
}
add_action( 'admin_menu', 'charla_chat_admin_menu' );

/** The option, its sanitizer, and the two fields. */
function charla_chat_register_settings() {
	register_setting(
		'charla_chat',
		CHARLA_CHAT_OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => 'charla_chat_sanitize',
			'default'           => array(
				'edge_url'  => '',
				'workspace' => '',
			),
			'show_in_rest'      => false,
		)
	);
	add_settings_section( 'charla_chat_widget', __( 'Chat widget', 'charla-chat' ), 'charla_chat_render_section', CHARLA_CHAT_PAGE );
	add_settings_field( 'charla_chat_edge_url', __( 'Edge URL', 'charla-chat' ), 'charla_chat_render_edge_field', CHARLA_CHAT_PAGE, 'charla_chat_widget', array( 'label_for' => 'charla_chat_edge_url' ) );
	add_settings_field( 'charla_chat_workspace', __( 'Workspace id', 'charla-chat' ), 'charla_chat_render_workspace_field', CHARLA_CHAT_PAGE, 'charla_chat_widget', array( 'label_for' => 'charla_chat_workspace' ) );
}
add_action( 'admin_init', 'charla_chat_register_settings' );

/** Section intro. */
function charla_chat_render_section() {
	echo '<p>' . esc_html__( 'The chat bubble appears on every public page once both fields are set. Leave a field empty to switch the chat off.', 'charla-chat' ) . '</p>';
}

/** Edge URL field. */
function charla_chat_render_edge_field() {
	printf(
		'<input type="text" inputmode="url" id="charla_chat_edge_url" name="%1$s[edge_url]" value="%2$s" class="regular-text code" placeholder="https://charla.example.workers.dev" autocomplete="off" spellcheck="false" /><p class="description">%3$s</p>',
		esc_attr( CHARLA_CHAT_OPTION ),
		esc_attr( charla_chat_settings()['edge_url'] ),
		esc_html__( 'Where your Charla Worker runs: the address before /loader.js in the snippet.', 'charla-chat' )
	);
}

/** Workspace id field. */
function charla_chat_render_workspace_field() {
	printf(
		'<input type="text" id="charla_chat_workspace" name="%1$s[workspace]" value="%2$s" class="regular-text code" pattern="[a-z0-9_\-]{1,64}" maxlength="64" autocomplete="off" spellcheck="false" /><p class="description">%3$s</p>',
		esc_attr( CHARLA_CHAT_OPTION ),
		esc_attr( charla_chat_settings()['workspace'] ),
		esc_html__( 'The data-workspace value of the snippet, e.g. acme.', 'charla-chat' )
	);
}

/** The settings page: the form, and above it a status line saying whether the chat is live. */
function charla_chat_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1>';
	charla_chat_render_connection_check();
	echo '<form action="options.php" method="post">';
	settings_fields( 'charla_chat' );
	do_settings_sections( CHARLA_CHAT_PAGE );
	submit_button();
	echo '</form></div>';
}

/**
 * The connection check, run by the owner's browser against the saved settings: is the edge
 * reachable, does the workspace exist, may this site use it, is anyone online. The browser asks
 * (not PHP), so what it reports is what a visitor's browser will meet, CORS included.
 */
function charla_chat_render_connection_check() {
	$settings  = charla_chat_settings();
	$edge      = charla_chat_clean_edge_url( $settings['edge_url'] );
	$workspace = charla_chat_clean_workspace( $settings['workspace'] );
	echo '<div id="charla-chat-status" class="notice notice-info inline" role="status" aria-live="polite"><p>';
	if ( '' === $edge || '' === $workspace ) {
		echo esc_html__( 'The chat is off: fill in both fields and save to switch it on.', 'charla-chat' ) . '</p></div>';
		return;
	}
	echo esc_html__( 'Checking the connection…', 'charla-chat' ) . '</p></div>';
	$config = array(
		'url'   => $edge . '/v1/widget/check/' . rawurlencode( $workspace ) . '?site=' . rawurlencode( home_url( '/' ) ),
		/* translators: %s: the edge URL. */
		'down'  => sprintf( __( 'The edge at %s does not answer. Check the edge URL, and that the Worker is deployed.', 'charla-chat' ), $edge ),
		/* translators: %s: the workspace id. */
		'none'  => sprintf( __( 'The workspace “%s” does not exist on this edge. Check the workspace id.', 'charla-chat' ), $workspace ),
		/* translators: %s: this site's address (scheme and host). */
		'deny'  => __( 'Connected, but this site (%s) is not in the workspace’s allowed origins, so the chat will not start here. Add it in the Charla inbox: Settings → Chat widget → Allowed origins.', 'charla-chat' ),
		/* translators: %d: how many agents are online. */
		'live'  => __( 'Connected: the chat is live on this site. Agents online: %d.', 'charla-chat' ),
		'quiet' => __( 'Connected: the chat is live on this site. Nobody is online right now (or it is outside business hours); visitors can still write.', 'charla-chat' ),
	);
	$script = 'window.charlaChatCheck=' . wp_json_encode( $config, JSON_HEX_TAG | JSON_HEX_AMP ) . ';' . <<<'JS'
(function (c) {
  var box = document.getElementById("charla-chat-status"), p = box.firstChild;
  function say(kind, text) {
    box.className = "notice inline notice-" + kind;
    p.textContent = text;
  }
  fetch(c.url, { cache: "no-store" })
    .then(function (r) {
      if (r.status == 404) return say("error", c.none);
      if (!r.ok) throw r.status;
      return r.json().then(function (j) {
        if (j.origin_status == "not_allowed") return say("error", c.deny.replace("%s", j.origin));
        if (j.agents_online > 0 && j.open) return say("success", c.live.replace("%d", j.agents_online));
        say("warning", c.quiet);
      });
    })
    .catch(function () {
      say("error", c.down);
    });
})(window.charlaChatCheck);
JS;
	wp_print_inline_script_tag( $script );
}

/**
 * "Settings" next to Deactivate on the Plugins screen.
 *
 * @param string[] $links Action links.
 * @return string[]
 */
function charla_chat_action_links( $links ) {
	$url = admin_url( 'options-general.php?page=' . CHARLA_CHAT_PAGE );
	array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'charla-chat' ) . '</a>' );
	return $links;
}
add_filter( 'plugin_action_links_' . plugin_basename( __FILE__ ), 'charla_chat_action_links' );
