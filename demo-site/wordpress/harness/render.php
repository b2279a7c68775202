<?php
/**
 * Test harness for the Charla Chat plugin WITHOUT WordPress: it stubs the few WordPress
 * functions the plugin calls (hooks, options, escaping, the script queue) closely enough to run
 * the plugin's own code, and prints JSON. It is not WordPress: the escaping stubs follow
 * WordPress's rules for the characters that matter (quotes, <, >, &, disallowed URL
 * characters and protocols), and the footer tag is built the way WordPress 6.3+ builds an
 * async footer script. Used by tests/browser/platforms.test.mjs.
 *
 *   php render.php footer EDGE WORKSPACE          → the wp_footer HTML for these settings
 *   php render.php checks EDGE                    → JSON: the plugin's behaviour on hostile input
 */

define( 'ABSPATH', __DIR__ . '/' );

$GLOBALS['charla_hooks']    = array();
$GLOBALS['charla_options']  = array();
$GLOBALS['charla_scripts']  = array();
$GLOBALS['charla_errors']   = array();
$GLOBALS['charla_is_admin'] = false;

function add_filter( $hook, $cb, $priority = 10, $args = 1 ) {
	$GLOBALS['charla_hooks'][ $hook ][] = array( $cb, $args );
	return true;
}
function add_action( $hook, $cb, $priority = 10, $args = 1 ) {
	return add_filter( $hook, $cb, $priority, $args );
}
function apply_filters( $hook, $value, ...$rest ) {
	foreach ( isset( $GLOBALS['charla_hooks'][ $hook ] ) ? $GLOBALS['charla_hooks'][ $hook ] : array() as list( $cb, $n ) ) {
		$value = call_user_func_array( $cb, array_slice( array_merge( array( $value ), $rest ), 0, $n ) );
	}
	return $value;
}
function do_action( $hook, ...$args ) {
	foreach ( isset( $GLOBALS['charla_hooks'][ $hook ] ) ? $GLOBALS['charla_hooks'][ $hook ] : array() as list( $cb, $n ) ) {
		call_user_func_array( $cb, array_slice( $args, 0, $n ) );
	}
}
function get_option( $name, $default = false ) {
	return array_key_exists( $name, $GLOBALS['charla_options'] ) ? $GLOBALS['charla_options'][ $name ] : $default;
}
function is_admin() {
	return $GLOBALS['charla_is_admin'];
}
function __( $text, $domain = 'default' ) {
	return $text;
}
function esc_html__( $text, $domain = 'default' ) {
	return esc_html( $text );
}
function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}
function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' );
}
/** WordPress's esc_url_raw: drop characters outside its URL set, refuse other protocols. */
function esc_url_raw( $url, $protocols = null ) {
	$url = preg_replace( '|[^a-z0-9-~+_.?#=!&;,/:%@$\|*\'()\[\]\x80-\xff]|i', '', trim( (string) $url ) );
	if ( '' === $url ) {
		return '';
	}
	$url    = str_replace( array( '%0d', '%0a', '%0D', '%0A' ), '', $url );
	$scheme = strtolower( (string) parse_url( $url, PHP_URL_SCHEME ) );
	if ( ! in_array( $scheme, $protocols ? $protocols : array( 'http', 'https' ), true ) ) {
		return '';
	}
	// wp_kses_bad_protocol() gives the scheme back in lower case ("Https://x" -> "https://x").
	return $scheme . substr( $url, strlen( $scheme ) );
}
function esc_url( $url ) {
	return esc_attr( esc_url_raw( $url ) );
}
function wp_parse_url( $url ) {
	return parse_url( $url );
}
function sanitize_text_field( $text ) {
	return trim( preg_replace( '/[\r\n\t ]+/', ' ', wp_strip_all_tags( (string) $text ) ) );
}
function wp_strip_all_tags( $text ) {
	return strip_tags( preg_replace( '@<(script|style)[^>]*?>.*?</\\1>@si', '', $text ) );
}
function plugin_basename( $file ) {
	return basename( dirname( $file ) ) . '/' . basename( $file );
}
function add_settings_error( $setting, $code, $message, $type = 'error' ) {
	$GLOBALS['charla_errors'][] = $code;
}
function wp_enqueue_script( $handle, $src = '', $deps = array(), $ver = false, $args = array() ) {
	$GLOBALS['charla_scripts'][ $handle ] = array(
		'src'  => $src,
		'ver'  => $ver,
		'args' => $args,
	);
}

/** Multisite: sites 1..N, each with its own options; get_sites() pages like WordPress's
 *  (100 unless `number` says otherwise). */
$GLOBALS['charla_sites']      = array();
$GLOBALS['charla_current']    = 1;
$GLOBALS['charla_multisite']  = false;
function is_multisite() {
	return $GLOBALS['charla_multisite'];
}
function get_sites( $args = array() ) {
	$number = isset( $args['number'] ) ? (int) $args['number'] : 100;
	$offset = isset( $args['offset'] ) ? (int) $args['offset'] : 0;
	$ids    = array_keys( $GLOBALS['charla_sites'] );
	return $number > 0 ? array_slice( $ids, $offset, $number ) : array_slice( $ids, $offset );
}
function switch_to_blog( $id ) {
	$GLOBALS['charla_sites'][ $GLOBALS['charla_current'] ] = $GLOBALS['charla_options'];
	$GLOBALS['charla_current']                             = $id;
	$GLOBALS['charla_options']                             = $GLOBALS['charla_sites'][ $id ];
}
function restore_current_blog() {
	switch_to_blog( 1 );
}
function delete_option( $name ) {
	unset( $GLOBALS['charla_options'][ $name ] );
	return true;
}

/** What the settings page calls (wp-admin). */
$GLOBALS['charla_home'] = 'https://blog.example.com/';
function current_user_can( $capability ) {
	return 'manage_options' === $capability;
}
function get_admin_page_title() {
	return 'Charla Chat';
}
function settings_fields( $group ) {
	echo '<input type="hidden" name="option_page" value="' . esc_attr( $group ) . '" />';
}
function do_settings_sections( $page ) {
	echo '<table class="form-table" role="presentation"><tr><th><label for="charla_chat_edge_url">Edge URL</label></th><td>';
	charla_chat_render_edge_field();
	echo '</td></tr><tr><th><label for="charla_chat_workspace">Workspace id</label></th><td>';
	charla_chat_render_workspace_field();
	echo '</td></tr></table>';
}
function submit_button() {
	echo '<p class="submit"><input type="submit" class="button button-primary" value="Save Changes" /></p>';
}
function home_url( $path = '' ) {
	return rtrim( $GLOBALS['charla_home'], '/' ) . '/' . ltrim( $path, '/' );
}
function wp_json_encode( $data, $options = 0 ) {
	return json_encode( $data, $options );
}
function wp_print_inline_script_tag( $javascript ) {
	echo "<script>\n" . $javascript . "\n</script>\n";
}

/** wp_head + wp_footer as WordPress 6.3+ prints an enqueued script: [head, footer]. With
 *  $before_63, as 6.1 and 6.2 do: no loading strategies (the args array is only a truthy
 *  `$in_footer`). */
function charla_render_page( $before_63 = false ) {
	$GLOBALS['charla_scripts'] = array();
	do_action( 'wp_enqueue_scripts' );
	$out = array( 'head' => '', 'footer' => '' );
	foreach ( $GLOBALS['charla_scripts'] as $handle => $s ) {
		$args     = is_array( $s['args'] ) ? $s['args'] : array( 'in_footer' => (bool) $s['args'] );
		$strategy = isset( $args['strategy'] ) && ! $before_63 ? $args['strategy'] : '';
		$src      = $s['src'] . ( null === $s['ver'] ? '' : '?ver=' . ( false === $s['ver'] ? '6.8' : $s['ver'] ) );
		$tag      = sprintf(
			'<script src="%s" id="%s-js"%s></script>' . "\n",
			esc_url( $src ),
			esc_attr( $handle ),
			$strategy ? " {$strategy} data-wp-strategy=\"{$strategy}\"" : ''
		);
		$where         = empty( $args['in_footer'] ) ? 'head' : 'footer';
		$out[ $where ] .= apply_filters( 'script_loader_tag', $tag, $handle, $src );
	}
	return $out;
}

/** The option as the Settings API saves it: through the plugin's sanitize callback. */
function charla_save( $input ) {
	$GLOBALS['charla_errors']                 = array();
	$GLOBALS['charla_options']['charla_chat'] = charla_chat_sanitize( $input );
	return array(
		'saved'  => $GLOBALS['charla_options']['charla_chat'],
		'errors' => $GLOBALS['charla_errors'],
	);
}

require dirname( __DIR__ ) . '/charla-chat/charla-chat.php';

$mode = isset( $argv[1] ) ? $argv[1] : '';
$edge = isset( $argv[2] ) ? $argv[2] : 'https://charla.example.workers.dev';

if ( 'footer' === $mode ) {
	charla_save( array( 'edge_url' => $edge, 'workspace' => isset( $argv[3] ) ? $argv[3] : 'demo' ) );
	$page = charla_render_page();
	if ( '' !== $page['head'] || $GLOBALS['charla_errors'] ) {
		fwrite( STDERR, "unexpected head output or settings errors\n" );
		exit( 1 );
	}
	echo $page['footer'];
	exit( 0 );
}

if ( 'settings' === $mode ) {
	// Settings → Charla Chat for these settings, on a site at SITE, as a whole page.
	$GLOBALS['charla_options']['charla_chat'] = array(
		'edge_url'  => $edge,
		'workspace' => isset( $argv[3] ) ? $argv[3] : '',
	);
	$GLOBALS['charla_home'] = isset( $argv[4] ) ? $argv[4] : $GLOBALS['charla_home'];
	echo '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Charla Chat ‹ Settings</title></head><body><main>';
	charla_chat_render_settings_page();
	echo "</main></body></html>\n";
	exit( 0 );
}

if ( 'uninstall' === $mode ) {
	// A network of N sites, each with the option (and another option that must stay).
	$n                           = isset( $argv[2] ) ? (int) $argv[2] : 250;
	$GLOBALS['charla_multisite'] = true;
	for ( $i = 1; $i <= $n; $i++ ) {
		$GLOBALS['charla_sites'][ $i ] = array(
			'charla_chat' => array( 'edge_url' => 'https://e.example', 'workspace' => "w$i" ),
			'blogname'    => "Site $i",
		);
	}
	$GLOBALS['charla_options'] = $GLOBALS['charla_sites'][1];
	define( 'WP_UNINSTALL_PLUGIN', 'charla-chat/charla-chat.php' );
	require dirname( __DIR__ ) . '/charla-chat/uninstall.php';
	$GLOBALS['charla_sites'][ $GLOBALS['charla_current'] ] = $GLOBALS['charla_options'];
	$left = array();
	$kept = 0;
	foreach ( $GLOBALS['charla_sites'] as $id => $options ) {
		if ( isset( $options['charla_chat'] ) ) {
			$left[] = $id;
		}
		$kept += isset( $options['blogname'] ) ? 1 : 0;
	}
	echo json_encode( array( 'sites' => $n, 'left_with_option' => $left, 'other_options_kept' => $kept ) ), "\n";
	exit( 0 );
}

if ( 'checks' !== $mode ) {
	fwrite( STDERR, "usage: php render.php footer EDGE WORKSPACE | checks EDGE | settings EDGE WORKSPACE SITE | uninstall N\n" );
	exit( 2 );
}

$r = array();

// 1. Valid settings: one async footer script, nothing in the head.
$r['valid_save'] = charla_save( array( 'edge_url' => " $edge/ ", 'workspace' => 'demo' ) );
$r['valid_page'] = charla_render_page();

// 2. wp-admin: nothing enqueued.
$GLOBALS['charla_is_admin'] = true;
$r['admin_page']            = charla_render_page();
$GLOBALS['charla_is_admin'] = false;

// 3. A pasted loader URL is reduced to the edge's origin.
$r['pasted_loader'] = charla_save( array( 'edge_url' => 'https://chat.example.com/loader.js', 'workspace' => 'acme_shop-2' ) );

// 4. Hostile input through the form: refused, previous values kept, an error each.
$hostile = array(
	array( 'javascript:alert(1)', 'demo"><script>alert(1)</script>' ),
	array( 'https://evil.example/"><script>alert(1)</script>', 'Demo' ),
	array( 'http://evil.example', str_repeat( 'a', 65 ) ),
	array( 'https://user:pw@evil.example', 'a b' ),
	array( 'https://evil.example/x?y=1', '../x' ),
	array( "https://evil.example\"\nonload=alert(1)", "demo'" ),
	array( 'data:text/html,<script>alert(1)</script>', '<img src=x onerror=alert(1)>' ),
);
$r['hostile'] = array();
foreach ( $hostile as list( $e, $w ) ) {
	$r['hostile'][] = array(
		'input'  => array( $e, $w ),
		'result' => charla_save( array( 'edge_url' => $e, 'workspace' => $w ) ),
	);
}

// 5. Empty fields switch the chat off.
$r['emptied']      = charla_save( array( 'edge_url' => '', 'workspace' => '' ) );
$r['emptied_page'] = charla_render_page();

// 6. A hostile value written straight into the option (another plugin, the database): nothing
//    is printed on the public pages, and the settings form shows it escaped.
$GLOBALS['charla_options']['charla_chat'] = array(
	'edge_url'  => 'https://evil.example/" onload="alert(1)',
	'workspace' => '"><img src=x onerror=alert(1)>',
);
$r['stored_hostile_page'] = charla_render_page();
ob_start();
charla_chat_render_edge_field();
charla_chat_render_workspace_field();
$r['stored_hostile_fields'] = ob_get_clean();

// 7. Other scripts' tags are left alone.
$r['other_tag'] = charla_chat_script_tag( '<script src="https://x.example/a.js" id="a-js"></script>', 'a' );

// 9. A capitalised scheme, as phones and some keyboards type it, and a bare host.
$r['capitalised'] = array();
foreach ( array( 'Https://Chat.Example.com', 'HTTPS://chat.example.com/loader.js', 'chat.example.com' ) as $typed ) {
	$r['capitalised'][] = charla_save( array( 'edge_url' => $typed, 'workspace' => 'acme' ) );
}

// 10. The edge field takes what the plugin's clean-up accepts (a bare host too): no type="url".
$GLOBALS['charla_options']['charla_chat'] = array( 'edge_url' => '', 'workspace' => '' );
ob_start();
charla_chat_render_edge_field();
$r['edge_field'] = ob_get_clean();

// 11. WordPress 6.1 and 6.2 (Debian 12 ships 6.1): no loading strategies; the page still gets
//     one async tag, in the footer.
$GLOBALS['charla_options']['charla_chat'] = array( 'edge_url' => $edge, 'workspace' => 'demo' );
$r['wp61_page'] = charla_render_page( true );

// 8. WordPress before 6.3 ignores the strategy: the filter adds async itself.
$GLOBALS['charla_options']['charla_chat'] = array( 'edge_url' => $edge, 'workspace' => 'demo' );
$r['pre63_tag'] = charla_chat_script_tag( '<script src="' . $edge . '/loader.js" id="charla-chat-js"></script>', 'charla-chat' );

echo json_encode( $r, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ), "\n";
