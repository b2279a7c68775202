<?php
/**
 * What tests/wordpress/real-wordpress.sh does inside WordPress: run from the command line,
 * bootstrapped with the site's own wp-load.php (a real WordPress, not the stubs of
 * demo-site/wordpress/harness/render.php). Prints one line of JSON; exits 1 on an error.
 *
 *   php wp-helper.php SITE_DIR install URL ADMIN_PASSWORD   → wp_install(), plain permalinks
 *   php wp-helper.php SITE_DIR version                      → {"wp": "6.1.9", "php": "8.2.…"}
 *   php wp-helper.php SITE_DIR theme SLUG                   → switch_theme()
 *   php wp-helper.php SITE_DIR activate PLUGIN              → activate_plugin()
 *   php wp-helper.php SITE_DIR save-option JSON             → update_option() of the registered
 *                                                             setting (its sanitize callback runs)
 *   php wp-helper.php SITE_DIR user-locale LOCALE           → the admin user's wp-admin language
 *   php wp-helper.php SITE_DIR option                       → the stored option, raw from the table
 *   php wp-helper.php SITE_DIR uninstall PLUGIN             → deactivate_plugins(), delete_plugins()
 */

if ( PHP_SAPI !== 'cli' || $argc < 3 ) {
	fwrite( STDERR, "usage: php wp-helper.php SITE_DIR COMMAND [ARGS]\n" );
	exit( 2 );
}
$site    = rtrim( $argv[1], '/' );
$command = $argv[2];
$args    = array_slice( $argv, 3 );

function out( $value, $ok = true ) {
	echo json_encode( $value, JSON_UNESCAPED_SLASHES ) . "\n";
	exit( $ok ? 0 : 1 );
}

// What a web request would have; wp-config.php pins WP_HOME / WP_SITEURL, so nothing is guessed.
$_SERVER['HTTP_HOST']   = getenv( 'WP_TEST_HOST' ) ? getenv( 'WP_TEST_HOST' ) : '127.0.0.1';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

if ( 'install' === $command ) {
	define( 'WP_INSTALLING', true );
}
require $site . '/wp-load.php';

switch ( $command ) {
	case 'install':
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		if ( is_blog_installed() ) {
			out( array( 'error' => 'already installed' ), false );
		}
		add_filter( 'pre_wp_mail', '__return_false' ); // The "new site" mail: no sendmail here.
		$result = wp_install( 'Charla test site', 'admin', 'admin@example.com', false, '', wp_slash( $args[1] ) );
		// Plain permalinks whatever wp_install() managed to probe: the checks use ?feed=rss2.
		update_option( 'permalink_structure', '' );
		out( array( 'user_id' => $result['user_id'], 'url' => get_option( 'siteurl' ) ) );

	case 'version':
		out(
			array(
				'wp'  => get_bloginfo( 'version' ),
				'php' => PHP_VERSION,
				'db'  => $GLOBALS['wpdb']->db_server_info(),
			)
		);

	case 'theme':
		switch_theme( $args[0] );
		$theme = wp_get_theme();
		out( array( 'theme' => $theme->get_stylesheet(), 'block' => $theme->is_block_theme() ), $theme->get_stylesheet() === $args[0] && $theme->exists() );

	case 'activate':
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		// Checks "Requires at least" / "Requires PHP" and refuses a plugin that prints anything.
		$result = activate_plugin( $args[0] );
		if ( is_wp_error( $result ) ) {
			out( array( 'error' => $result->get_error_code() . ': ' . $result->get_error_message() ), false );
		}
		out( array( 'active' => is_plugin_active( $args[0] ) ), is_plugin_active( $args[0] ) );

	case 'save-option':
		// The setting is registered on admin_init, which a CLI script does not fire: run the
		// plugin's registration hooked there (the Settings API's section/field functions live
		// in wp-admin/includes/template.php), then update_option() runs sanitize_option(), i.e.
		// the registered sanitize_callback.
		require_once ABSPATH . 'wp-admin/includes/template.php';
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		if ( ! has_action( 'admin_init', 'charla_chat_register_settings' ) ) {
			out( array( 'error' => 'charla_chat_register_settings is not hooked on admin_init' ), false );
		}
		charla_chat_register_settings();
		$registered = get_registered_settings();
		if ( ! isset( $registered['charla_chat']['sanitize_callback'] ) ) {
			out( array( 'error' => 'charla_chat is not a registered setting' ), false );
		}
		update_option( 'charla_chat', json_decode( $args[0], true ) );
		out( array( 'errors' => get_settings_errors( 'charla_chat' ) ) );

	case 'user-locale':
		$user = get_user_by( 'login', 'admin' );
		update_user_meta( $user->ID, 'locale', $args[0] );
		out( array( 'locale' => get_user_locale( $user ) ) );

	case 'option':
		global $wpdb;
		$raw = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", 'charla_chat' ) );
		out( array( 'exists' => null !== $raw, 'value' => null === $raw ? null : maybe_unserialize( $raw ) ) );

	case 'uninstall':
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		require_once ABSPATH . 'wp-admin/includes/file.php';
		deactivate_plugins( $args[0] );
		if ( is_plugin_active( $args[0] ) ) {
			out( array( 'error' => 'still active after deactivate_plugins()' ), false );
		}
		$uninstallable = is_uninstallable_plugin( $args[0] );
		// delete_plugins() runs uninstall_plugin() (which includes uninstall.php with
		// WP_UNINSTALL_PLUGIN defined), then removes the plugin's folder.
		$result = delete_plugins( array( $args[0] ) );
		if ( is_wp_error( $result ) || true !== $result ) {
			out( array( 'error' => is_wp_error( $result ) ? $result->get_error_message() : var_export( $result, true ) ), false );
		}
		out(
			array(
				'uninstallable' => $uninstallable,
				'files_left'    => file_exists( WP_PLUGIN_DIR . '/' . dirname( $args[0] ) ),
			)
		);

	default:
		out( array( 'error' => "unknown command $command" ), false );
}
