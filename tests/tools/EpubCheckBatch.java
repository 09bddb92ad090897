import com.adobe.epubcheck.tool.EpubChecker;

/**
 * Runs EPUBCheck's own command line on several EPUBs in one JVM.
 *
 * Arguments come in pairs: "book.epub report.json".  Starting the JVM and
 * loading EPUBCheck's schemas costs most of a check, so the test suite checks
 * all its books with one launch (java EpubCheckBatch.java, Java 11+ runs the
 * source file directly).
 */
public class EpubCheckBatch {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            new EpubChecker().run(new String[] {args[i], "-q", "--json", args[i + 1]});
        }
    }
}
