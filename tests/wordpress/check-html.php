<?php
/**
 * Reads a page that the real WordPress of tests/wordpress/real-wordpress.sh served and checks
 * the Charla Chat plugin's part of it. Prints "ok: …" and exits 0, or prints why not and
 * exits 1.
 *
 *   php check-html.php footer FILE EDGE WORKSPACE → exactly one loader tag: src EDGE/loader.js,
 *                                                  data-workspace, async, data-cfasync, between
 *                                                  </head> and </body>; no other loader.js
 *   php check-html.php none FILE                  → no loader tag at all
 *   php check-html.php settings FILE              → the status box and the edge field are there
 *   php check-html.php form FILE                  → the form's hidden fields, one per line
 *                                                  (name=value, for the options.php POST)
 *   php check-html.php count FILE TEXT            → how many times TEXT occurs
 */

if ( PHP_SAPI !== 'cli' || $argc < 3 ) {
	fwrite( STDERR, "usage: php check-html.php MODE FILE [ARGS]\n" );
	exit( 2 );
}
list( , $mode, $file ) = $argv;
$html = file_get_contents( $file );
if ( false === $html || '' === $html ) {
	echo "empty or unreadable page: $file\n";
	exit( 1 );
}

function done( $ok, $message ) {
	echo ( $ok ? 'ok: ' : '' ) . $message . "\n";
	exit( $ok ? 0 : 1 );
}

/** Attributes of one start tag, names lowercased; a bare attribute has the value true. */
function attributes( $tag ) {
	$inside = preg_replace( '#^<[a-zA-Z]+|/?>$#', '', $tag );
	preg_match_all( '/\s([a-zA-Z_:][-a-zA-Z0-9_:.\[\]]*)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s"\'=<>`]+)))?/', ' ' . $inside, $m, PREG_SET_ORDER | PREG_UNMATCHED_AS_NULL );
	$attrs = array();
	foreach ( $m as $a ) {
		$value = $a[2] ?? $a[3] ?? $a[4] ?? null;
		$attrs[ strtolower( $a[1] ) ] = null === $value ? true : html_entity_decode( $value, ENT_QUOTES | ENT_HTML5 );
	}
	return $attrs;
}

/** Every <script …> start tag that loads a loader.js or carries data-workspace, with its offset. */
function loader_tags( $html ) {
	preg_match_all( '/<script\b[^>]*>/i', $html, $m, PREG_OFFSET_CAPTURE );
	$found = array();
	foreach ( $m[0] as list( $tag, $at ) ) {
		$attrs = attributes( $tag );
		$src   = isset( $attrs['src'] ) && is_string( $attrs['src'] ) ? $attrs['src'] : '';
		if ( preg_match( '#/loader\.js(\?|$)#', $src ) || isset( $attrs['data-workspace'] ) ) {
			$found[] = array( $tag, $at, $attrs );
		}
	}
	return $found;
}

switch ( $mode ) {
	case 'footer':
		list( , , , $edge, $workspace ) = $argv;
		$tags = loader_tags( $html );
		if ( 1 !== count( $tags ) ) {
			done( false, count( $tags ) . ' loader tags, not 1: ' . implode( ' | ', array_column( $tags, 0 ) ) );
		}
		list( $tag, $at, $attrs ) = $tags[0];
		$want = array(
			'src'            => $edge . '/loader.js',
			'data-workspace' => $workspace,
			'data-cfasync'   => 'false',
			'async'          => true,
		);
		foreach ( $want as $name => $value ) {
			if ( ! array_key_exists( $name, $attrs ) || $attrs[ $name ] !== $value ) {
				done( false, "$name is not " . var_export( $value, true ) . " in $tag" );
			}
		}
		$head = stripos( $html, '</head>' );
		$body = strripos( $html, '</body>' );
		if ( false === $head || false === $body || $at < $head || $at > $body ) {
			done( false, "the tag is not between </head> and </body>: $tag" );
		}
		$mentions = substr_count( $html, 'loader.js' );
		if ( 1 !== $mentions ) {
			done( false, "loader.js is mentioned $mentions times (a preload or a second copy?)" );
		}
		done( true, $tag . ' (' . ( $body - $at ) . ' bytes before </body>)' );

	case 'none':
		$tags = loader_tags( $html );
		done( 0 === count( $tags ), count( $tags ) . ' loader tags' . ( $tags ? ': ' . implode( ' | ', array_column( $tags, 0 ) ) : '' ) );

	case 'settings':
		$status = preg_match( '/<div\b[^>]*\bid="charla-chat-status"[^>]*>/', $html, $box );
		$edge   = preg_match( '/<input\b[^>]*\bid="charla_chat_edge_url"[^>]*>/', $html, $field );
		if ( ! $status ) {
			done( false, 'no id="charla-chat-status"' );
		}
		if ( ! $edge || false === strpos( $field[0], 'type="text" inputmode="url"' ) ) {
			done( false, 'no edge field with type="text" inputmode="url": ' . ( $edge ? $field[0] : 'none' ) );
		}
		done( true, $box[0] . ' ' . $field[0] );

	case 'form':
		if ( ! preg_match( '#<form\b[^>]*action="options\.php"[^>]*>(.*?)</form>#s', $html, $form ) ) {
			done( false, 'no options.php form' );
		}
		preg_match_all( '/<input\b[^>]*>/i', $form[1], $m );
		foreach ( $m[0] as $input ) {
			$attrs = attributes( $input );
			if ( isset( $attrs['type'], $attrs['name'], $attrs['value'] ) && 'hidden' === $attrs['type'] && is_string( $attrs['value'] ) ) {
				echo $attrs['name'] . '=' . $attrs['value'] . "\n";
			}
		}
		exit( 0 );

	case 'count':
		echo substr_count( $html, $argv[3] ) . "\n";
		exit( 0 );
}
fwrite( STDERR, "unknown mode $mode\n" );
exit( 2 );
